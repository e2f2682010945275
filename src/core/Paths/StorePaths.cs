namespace Skiff.Core.Paths;

/// <summary>
/// Where skiff keeps its data. Built once in Program.cs (from defaults, config and flags) and passed down.
/// </summary>
/// <param name="Root">Persistent store: blobs, layers, images, containers, volumes.</param>
/// <param name="RunRoot">Runtime state that dies with a reboot: locks, sockets, mounts, pid files.</param>
/// <param name="ConfigHome">User configuration directory (auth.json, registries.conf overrides).</param>
/// <param name="Rootless">True when skiff runs as an unprivileged user.</param>
public sealed record StorePaths(string Root, string RunRoot, string ConfigHome, bool Rootless)
{
    /// <summary>Default paths for the current user, as podman chooses them.</summary>
    public static StorePaths ForCurrentUser(IReadOnlyDictionary<string, string?> environment, uint euid, bool rootless)
    {
        string home = environment.GetValueOrDefault("HOME") ?? "/root";
        if (!rootless)
        {
            return new StorePaths("/var/lib/skiff", "/run/skiff", "/etc/skiff", Rootless: false);
        }

        string dataHome = NonEmpty(environment.GetValueOrDefault("XDG_DATA_HOME")) ?? Path.Combine(home, ".local", "share");
        string configHome = NonEmpty(environment.GetValueOrDefault("XDG_CONFIG_HOME")) ?? Path.Combine(home, ".config");
        string? runtimeDir = NonEmpty(environment.GetValueOrDefault("XDG_RUNTIME_DIR"));
        string runRoot = runtimeDir is not null
            ? Path.Combine(runtimeDir, "skiff")
            : Path.Combine(Path.GetTempPath(), $"skiff-run-{euid}");
        return new StorePaths(Path.Combine(dataHome, "skiff"), runRoot, Path.Combine(configHome, "skiff"), Rootless: true);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
