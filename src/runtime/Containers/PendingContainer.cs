using System.Net.Sockets;
using Skiff.Runtime.Namespaces;

namespace Skiff.Runtime.Containers;

/// <summary>
/// A container whose init has been spawned into its namespaces and waits for its spec: the first half of
/// create (<see cref="OciRuntime.SpawnAsync"/>). The monitor spawns it first and prepares the root while
/// the init's runtime starts, then finishes with <see cref="OciRuntime.Complete"/> or <see cref="OciRuntime.Abort"/>.
/// </summary>
public sealed class PendingContainer(string id, string bundle, string rootfs, string directory, RuntimeCgroup? cgroup, Socket? console, NamespacedProcess init) : IDisposable
{
    public string Id { get; } = id;

    public string Bundle { get; } = bundle;

    public string Rootfs { get; } = rootfs;

    public string Directory { get; } = directory;

    public RuntimeCgroup? Cgroup { get; } = cgroup;

    public Socket? Console { get; } = console;

    public NamespacedProcess Init { get; } = init;

    /// <summary>The init's move into its cgroup, started at spawn when it may join before its setup (<see cref="RuntimeCgroup.MayJoinDuringSetup"/>).</summary>
    public CgroupJoin? Join { get; init; }

    public int Pid => Init.Pid;

    public void Dispose()
    {
        Init.Dispose();
        Console?.Dispose();
    }
}
