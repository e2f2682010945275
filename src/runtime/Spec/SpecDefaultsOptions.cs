using Skiff.Core.IdMaps;

namespace Skiff.Runtime.Spec;

/// <summary>What differs between containers when building podman's default spec.</summary>
/// <param name="Args">The command line (already resolved from entrypoint + cmd).</param>
/// <param name="RootfsPath">root.path: relative to the bundle or absolute.</param>
public sealed record SpecDefaultsOptions(IReadOnlyList<string> Args, string RootfsPath = "rootfs")
{
    /// <summary>Environment; PATH is added when missing (and TERM with a terminal).</summary>
    public IReadOnlyList<string> Env { get; init; } = [];

    public string Cwd { get; init; } = "/";

    public string? Hostname { get; init; }

    public bool Terminal { get; init; }

    public uint Uid { get; init; }

    public uint Gid { get; init; }

    public IReadOnlyList<uint> AdditionalGids { get; init; } = [];

    /// <summary>Maps for a new user namespace (rootless); null runs in the caller's user namespace.</summary>
    public IdMap? UserNamespace { get; init; }

    /// <summary>False shares the host's network namespace (--network host).</summary>
    public bool NetworkNamespace { get; init; } = true;

    public bool ReadonlyRootfs { get; init; }
}
