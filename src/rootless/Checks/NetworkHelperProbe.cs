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
        if (pasta is not null)
        {
            // .NET ignores SIGPIPE and the ignored disposition survives execve; pasta then refuses to start
            // ("Couldn't install signal handlers"), so it runs with the default disposition, as PastaNetwork does.
            ExternalResult r = await runner.TryRunAsync(new ExternalCommand("env", ["--default-signal=PIPE", pasta, "--help"]) { Timeout = TimeSpan.FromSeconds(5) }, cancellationToken);
            missing = MissingPastaOptions(r.StandardOutput + r.StandardError);
        }

        return new NetworkHelperFacts(version, missing);
    }

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
