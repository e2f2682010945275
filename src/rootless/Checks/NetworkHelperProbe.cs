using System.Globalization;
using System.Text.RegularExpressions;
using Skiff.Core.Processes;

namespace Skiff.Rootless.Checks;

/// <summary>Asks slirp4netns for its version and pasta for its options, to tell a too-old helper from a working one.</summary>
public sealed partial class NetworkHelperProbe(IProcessRunner runner)
{
    /// <summary>slirp4netns 0.4.0 added --enable-sandbox, --enable-seccomp, --netns-type and --api-socket, which skiff passes.</summary>
    public static readonly Version MinimumSlirp4netns = new(0, 4, 0);

    /// <summary>The pasta options skiff passes (src/rootless/Network/PastaNetwork.cs); pastas before 2022-09 lack some.</summary>
    public static readonly IReadOnlyList<string> PastaOptionsUsed =
        ["--config-net", "--dns-forward", "--no-map-gw", "--runas", "--pid", "--netns", "--tcp-ns", "--udp-ns", "--quiet"];

    public async Task<NetworkHelperFacts> ProbeAsync(string? pasta, string? slirp4netns, CancellationToken cancellationToken)
    {
        Version? version = null;
        if (slirp4netns is not null)
        {
            ExternalResult r = await runner.TryRunAsync(new ExternalCommand(slirp4netns, ["--version"]) { Timeout = TimeSpan.FromSeconds(5) }, cancellationToken);
            version = ParseSlirp4netnsVersion(r.StandardOutput + r.StandardError);
        }

        IReadOnlyList<string> missing = [];
        string? pastaVersion = null;
        if (pasta is not null)
        {
            ExternalResult r = await runner.TryRunAsync(PastaCommand(pasta, "--help"), cancellationToken);
            missing = MissingPastaOptions(r.StandardOutput + r.StandardError);
            pastaVersion = await PastaVersionAsync(pasta, cancellationToken);
        }

        return new NetworkHelperFacts(version, missing) { PastaVersion = pastaVersion };
    }

    /// <summary>What <c>pasta --version</c> says on its first line ("pasta 0.0~git20250503.587980c-2+deb13u1"; Debian 12's: "pasta unknown version"), or null.</summary>
    public async Task<string?> PastaVersionAsync(string pasta, CancellationToken cancellationToken)
    {
        ExternalResult r = await runner.TryRunAsync(PastaCommand(pasta, "--version"), cancellationToken);
        return ParsePastaVersion(r.StandardOutput);
    }

    /// <summary>The version from <c>pasta --version</c> output: its first line without the program name, or null.</summary>
    public static string? ParsePastaVersion(string output)
    {
        string line = output.Split('\n', 2)[0].Trim();
        return line.StartsWith("pasta ", StringComparison.Ordinal) && line.Length > "pasta ".Length ? line["pasta ".Length..].Trim() : null;
    }

    /// <summary>
    /// pasta with one informational argument. .NET ignores SIGPIPE and the ignored disposition survives execve;
    /// pasta then refuses to start ("Couldn't install signal handlers"), so it runs with the default disposition,
    /// as PastaNetwork does. stdbuf -oL: newer pastas (trixie's 2025-05 build) leave --help and --version with
    /// _exit(), which drops what stdio still buffers for a pipe (all of --version, the end of --help); with line
    /// buffering each line is written at once.
    /// </summary>
    private static ExternalCommand PastaCommand(string pasta, string argument) =>
        new("env", ["--default-signal=PIPE", "stdbuf", "-oL", pasta, argument]) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The version from <c>slirp4netns --version</c> ("slirp4netns version 1.2.0"), or null.</summary>
    public static Version? ParseSlirp4netnsVersion(string output)
    {
        Match m = SlirpVersion().Match(output);
        if (!m.Success)
        {
            return null;
        }

        int Part(int i) => m.Groups[i].Success ? int.Parse(m.Groups[i].Value, CultureInfo.InvariantCulture) : 0;
        return new Version(Part(1), Part(2), Part(3));
    }

    /// <summary>The options of <see cref="PastaOptionsUsed"/> that <c>pasta --help</c> does not mention.</summary>
    public static IReadOnlyList<string> MissingPastaOptions(string help)
    {
        var known = new HashSet<string>(OptionName().Matches(help).Select(m => m.Value), StringComparer.Ordinal);
        return PastaOptionsUsed.Where(o => !known.Contains(o)).ToList();
    }

    [GeneratedRegex(@"slirp4netns version (\d+)(?:\.(\d+))?(?:\.(\d+))?")]
    private static partial Regex SlirpVersion();

    [GeneratedRegex(@"--[a-z][a-z0-9-]*")]
    private static partial Regex OptionName();
}
