namespace Skiff.Rootless.Checks;

/// <summary>What to examine. Every path is a parameter so tests can make each problem in a temp copy.</summary>
public sealed record SystemCheckOptions
{
    public required string UserName { get; init; }

    public required uint Uid { get; init; }

    public required bool Rootless { get; init; }

    public string? RuntimeDirectory { get; init; }

    public string SubuidPath { get; init; } = "/etc/subuid";

    public string SubgidPath { get; init; } = "/etc/subgid";

    public string TunPath { get; init; } = "/dev/net/tun";

    public string FusePath { get; init; } = "/dev/fuse";

    public string LingerDirectory { get; init; } = "/var/lib/systemd/linger";

    /// <summary>Directories searched for newuidmap, newgidmap, pasta and slirp4netns.</summary>
    public IReadOnlyList<string> ProgramDirectories { get; init; } = ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin"];

    /// <summary>Whether systemd runs (linger only matters then).</summary>
    public bool SystemdRunning { get; init; }

    /// <summary>What the installed pasta and slirp4netns can do; null when not probed.</summary>
    public NetworkHelperFacts? NetworkHelpers { get; init; }

    /// <summary>Whether kernel overlay mounts inside skiff's user namespace; null when not probed.</summary>
    public bool? OverlayInUserNamespace { get; init; }

    /// <summary>The storage driver skiff falls back to when kernel overlay is not usable (for the message).</summary>
    public string? FallbackStorageDriver { get; init; }

    /// <summary>Reports the owner uid of a path; a parameter because .NET has no portable stat owner.</summary>
    public Func<string, uint?>? OwnerOf { get; init; }
}
