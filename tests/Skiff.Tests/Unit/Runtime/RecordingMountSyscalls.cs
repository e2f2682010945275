using Skiff.Core.Errors;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>A fake kernel for <see cref="RootfsBuilder"/> and <see cref="Skiff.Runtime.Lifecycle.RootfsMounter"/>: records each call as one readable line.</summary>
internal sealed class RecordingMountSyscalls : IMountSyscalls
{
    public List<string> Calls { get; } = [];

    /// <summary>Paths that exist (for KindOf); everything else is missing.</summary>
    public Dictionary<string, PathKind> Paths { get; } = [];

    /// <summary>Mount types whose mount(2) fails with EPERM.</summary>
    public HashSet<string> RefusedTypes { get; } = [];

    /// <summary>Mount data options the kernel does not know: mount(2) fails with EINVAL.</summary>
    public HashSet<string> RefusedOptions { get; } = [];

    /// <summary>Paths inside the root that do not exist: opening them without creating fails with ENOENT.</summary>
    public HashSet<string> MissingInRoot { get; } = [];

    public MountFlags Locked { get; set; } = MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec;

    public void Mount(string? source, string target, string? fsType, MountFlags flags, string? data)
    {
        if (fsType is not null && RefusedTypes.Contains(fsType))
        {
            throw new SystemCallException("mount", target, Errnos.EPERM);
        }

        if (data is not null && data.Split(',').Any(RefusedOptions.Contains))
        {
            throw new SystemCallException("mount", target, Errnos.EINVAL);
        }

        Calls.Add($"mount {source ?? "-"} {target} {fsType ?? "-"} {flags}{(data is null ? string.Empty : " " + data)}");
    }

    public IMountTarget OpenInRoot(string root, string path, TargetKind create)
    {
        if (create != TargetKind.Existing)
        {
            Calls.Add($"create {create} {path}");
        }
        else if (MissingInRoot.Contains(path))
        {
            throw new SystemCallException("openat2", path, Errnos.ENOENT);
        }

        return new Target(root.TrimEnd('/') + "/" + path.TrimStart('/'));
    }

    public void MakeDevice(IMountTarget directory, string name, DeviceSpec device) =>
        Calls.Add($"mknod {directory.Path}/{name} {device.Type} {device.Major}:{device.Minor}");

    public void Symlink(IMountTarget directory, string name, string target) => Calls.Add($"symlink {directory.Path}/{name} -> {target}");

    public void PivotRoot(string newRoot) => Calls.Add($"pivot_root {newRoot}");

    public void ChangeDirectory(IMountTarget directory) => Calls.Add($"chdir {directory.Path}");

    public PathKind KindOf(string path) => Paths.TryGetValue(path, out PathKind kind) ? kind : PathKind.Missing;

    public MountFlags LockedFlagsOf(string path) => Locked;

    public void WriteFile(string path, string content) => Calls.Add($"write {path} {content}");

    public void CopyTree(string root, IMountTarget original, IMountTarget mounted) => Calls.Add($"copy {original.Path} -> {mounted.Path}");

    private sealed record Target(string Path) : IMountTarget
    {
        public void Dispose()
        {
        }
    }
}
