using System.Runtime.InteropServices;

namespace Skiff.Runtime.Containers;

/// <summary>`create`'s arguments, as the OCI runtime command line names them.</summary>
public sealed record CreateOptions(string Id, string Bundle)
{
    /// <summary>File to write the init's pid into (in the caller's pid namespace).</summary>
    public string? PidFile { get; init; }

    /// <summary>AF_UNIX socket to send the pty master to, for a spec with process.terminal.</summary>
    public string? ConsoleSocket { get; init; }

    /// <summary>
    /// The init's stdin, stdout and stderr; null gives it ours (the command line's case). The monitor,
    /// which creates built-in containers in its own process, passes its pipes here.
    /// </summary>
    public (SafeHandle In, SafeHandle Out, SafeHandle Err)? Stdio { get; init; }

    /// <summary>
    /// Called with the init's pid as soon as its namespaces exist, while it still sets up its root: the
    /// monitor starts the network helper then, so the two overlap. Must not block.
    /// </summary>
    public Action<int>? NamespacesReady { get; init; }

    /// <summary>A network namespace bound to this file, joined instead of the new one the spec asks for (the monitor makes it early for its network helper).</summary>
    public string? NetworkNamespace { get; init; }

    /// <summary>--systemd-cgroup: linux.cgroupsPath is SLICE:PREFIX:NAME and systemd creates the scope around the init.</summary>
    public bool SystemdCgroup { get; init; }

    /// <summary>
    /// Descriptors the container's process gets at 3 and up (runc's --preserve-fds N, whose command line passes its own
    /// 3 to 2+N; the monitor passes the caller's, which it holds elsewhere). The init's own descriptors move up past them.
    /// </summary>
    public IReadOnlyList<SafeHandle> PreservedFds { get; init; } = [];
}
