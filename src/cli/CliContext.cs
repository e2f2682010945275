using Skiff.Core.Paths;
using Skiff.Core.Processes;
using Skiff.Core.Users;

namespace Skiff.Cli;

/// <summary>Everything a command needs from its environment, resolved once per invocation from global flags.</summary>
public sealed record CliContext(
    CurrentUser User,
    StorePaths Paths,
    bool Debug,
    TextWriter Out,
    TextWriter Error,
    IProcessRunner Runner,
    string SelfExecutable)
{
    public ErrorReporter Reporter { get; } = new(Error, Debug);

    /// <summary>The store's event log, where each command records what it did (<c>skiff events</c> reads it).</summary>
    public Core.Events.EventLog Events => Core.Events.EventLog.ForRoot(Paths.Root);

    /// <summary>--storage-driver or $STORAGE_DRIVER; null means probe.</summary>
    public string? StorageDriver { get; init; }

    /// <summary>--cgroup-manager (systemd or cgroupfs); null chooses as podman does.</summary>
    public string? CgroupManager { get; init; }
}
