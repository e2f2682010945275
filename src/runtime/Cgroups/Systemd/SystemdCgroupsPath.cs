using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups.Systemd;

/// <summary>
/// linux.cgroupsPath in the form runc and crun read with --systemd-cgroup: "SLICE:PREFIX:NAME", which
/// names the transient scope PREFIX-NAME.scope in SLICE (podman writes "machine.slice:libpod:ID").
/// </summary>
public sealed record SystemdCgroupsPath(string Slice, string Prefix, string Name)
{
    public const string SkiffPrefix = "skiff";

    /// <summary>"skiff-ID.scope", the unit podman would call "libpod-ID.scope".</summary>
    public string UnitName => $"{Prefix}-{Name}.scope";

    public static SystemdCgroupsPath ForContainer(string slice, string containerId) => new(slice, SkiffPrefix, containerId);

    /// <summary>Parses "SLICE:PREFIX:NAME"; an empty slice is the runtime's default one.</summary>
    public static SystemdCgroupsPath Parse(string value, string defaultSlice)
    {
        string[] parts = value.Split(':');
        if (parts.Length != 3 || parts[1].Length == 0 || parts[2].Length == 0 || parts.Any(p => p.Contains('/', StringComparison.Ordinal)))
        {
            throw SkiffException.InvalidArgument(
                $"invalid linux.cgroupsPath `{value}` for the systemd cgroup manager",
                "give it as SLICE:PREFIX:NAME (machine.slice:skiff:ID), or drop --systemd-cgroup");
        }

        string slice = parts[0].Length == 0 ? defaultSlice : parts[0];
        if (!slice.EndsWith(".slice", StringComparison.Ordinal))
        {
            throw SkiffException.InvalidArgument($"invalid linux.cgroupsPath `{value}`: `{slice}` is not a slice (it must end in .slice)");
        }

        return new SystemdCgroupsPath(slice, parts[1], parts[2]);
    }

    public override string ToString() => $"{Slice}:{Prefix}:{Name}";
}
