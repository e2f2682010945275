using System.Net.Sockets;
using Skiff.Runtime.Namespaces;

namespace Skiff.Runtime.Containers;

/// <summary>
/// A container whose init has been spawned into its namespaces and waits for its spec: the first half of
/// create (<see cref="OciRuntime.SpawnAsync"/>). The monitor spawns it first and prepares the root while
/// the init's runtime starts, then finishes with <see cref="OciRuntime.Complete"/> or <see cref="OciRuntime.Abort"/>.
/// </summary>
public sealed class PendingContainer(string id, string bundle, string rootfs, string directory, CgroupJoin cgroups, Socket? console, NamespacedProcess init) : IDisposable
{
    public string Id { get; } = id;

    public string Bundle { get; } = bundle;

    public string Rootfs { get; } = rootfs;

    public string Directory { get; } = directory;

    /// <summary>The container's cgroup, made on a thread of its own while the init starts (<see cref="CgroupJoin.Prepared"/> waits for it).</summary>
    public CgroupJoin Cgroups { get; } = cgroups;

    public Socket? Console { get; } = console;

    public NamespacedProcess Init { get; } = init;

    /// <summary>Whether the init moves into its cgroup (on the <see cref="Cgroups"/> thread) while it builds its root (<see cref="RuntimeCgroup.MayJoinDuringSetup"/>) rather than after.</summary>
    public bool JoinEarly { get; init; }

    public int Pid => Init.Pid;

    public void Dispose()
    {
        Init.Dispose();
        Console?.Dispose();
    }
}
