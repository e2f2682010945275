namespace Skiff.Rootless.Network;

/// <summary>
/// Where skiff looks for its network helpers (pasta, slirp4netns), as podman's containers.conf
/// helper_binaries_dir: the configured directories first, then PATH, then the usual system places. The
/// default holds skiff's own helper directory, where install.sh builds a newer pasta than the distribution's
/// (tests/setup/passt.sh), so skiff can use it without putting it first in everybody's PATH.
/// </summary>
public sealed record HelperDirectories(IReadOnlyList<string> Configured)
{
    /// <summary>Colon-separated directories that replace the default list; set but empty: none (PATH only).</summary>
    public const string EnvironmentVariable = "SKIFF_HELPER_BINARIES_DIR";

    /// <summary>The helper directory of a system-wide install (install.sh as root, tests/setup/deps.sh).</summary>
    public const string SystemDirectory = "/usr/local/lib/skiff/helpers";

    /// <summary>Searched after PATH: where Debian and podman install the helpers.</summary>
    private static readonly string[] Fallbacks = ["/usr/bin", "/usr/local/bin", "/usr/libexec/podman"];

    /// <summary>The directories configured for this process (<see cref="EnvironmentVariable"/>, else the default).</summary>
    public static HelperDirectories FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.ProcessPath);

    /// <summary>
    /// <paramref name="value"/> when given (null: not set), else the default: <see cref="SystemDirectory"/> and
    /// ../lib/skiff/helpers next to <paramref name="executable"/> (install.sh's per-user install puts skiff in
    /// ~/.local/bin and its helpers in ~/.local/lib/skiff/helpers).
    /// </summary>
    public static HelperDirectories Parse(string? value, string? executable)
    {
        if (value is not null)
        {
            return new HelperDirectories(value.Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        var directories = new List<string> { SystemDirectory };
        if (Path.GetDirectoryName(executable) is { Length: > 0 } bin)
        {
            directories.Add(Path.GetFullPath(Path.Combine(bin, "..", "lib", "skiff", "helpers")));
        }

        return new HelperDirectories(directories.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>The search order: the configured directories, then <paramref name="pathVariable"/> (PATH), then the fallbacks.</summary>
    public IReadOnlyList<string> SearchOrder(string? pathVariable) =>
        Configured
            .Concat((pathVariable ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Concat(Fallbacks)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
