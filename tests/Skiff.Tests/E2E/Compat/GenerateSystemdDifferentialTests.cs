using System.Text.RegularExpressions;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Compat;

/// <summary>
/// `generate systemd` of the same container made by podman 4.3 and by skiff, compared line by line: the same text but
/// for the program and its global flags on the Exec lines, the name in the header and Description (Podman/skiff), the
/// store's paths (RequiresMountsFor, PIDFile) and %t/containers (podman's runroot) against %t/skiff.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class GenerateSystemdDifferentialTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Units_match_podmans_line_for_line(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string[] create =
        [
            "create", "--name", "web", "--network", "none", "-e", "A=b c", "--label", "x=y z", "--stop-timeout", "7", "--restart", "on-failure:3",
            "--cidfile", Path.Combine(skiff.Sandbox.Work, "ignored.cid"), "--rm=false", image, "sh", "-c", "echo \"$HOME\" 100% \\o/",
        ];
        (await podman.RunAsync(["--runtime", "runc", .. create])).AssertSuccess();
        File.Delete(Path.Combine(skiff.Sandbox.Work, "ignored.cid"));
        (await skiff.RunAsync(create)).AssertSuccess();

        string[][] variants =
        [
            ["--new", "--name", "--no-header"],
            ["--new", "--name", "--no-header", "--restart-policy", "always", "--stop-timeout", "3", "--after", "a.service", "--wants", "w.service", "--requires", "r.service", "-e", "X=1 2"],
            ["--name", "--no-header", "-t", "5", "--restart-sec", "4", "--start-timeout", "9", "--container-prefix", "svc", "--separator", "_"],
        ];
        foreach (string[] flags in variants)
        {
            string theirs = Normalize((await podman.RunAsync(["generate", "systemd", .. flags, "web"])).AssertSuccess().Stdout);
            string ours = Normalize((await skiff.RunAsync(["generate", "systemd", .. flags, "web"])).AssertSuccess().Stdout);
            if (flags.Contains("--restart-sec"))
            {
                // podman 4.3 drops --restart-sec from a container's unit (only its pod units have it; later podman fixed
                // that): skiff writes it.
                Assert.Contains("\nRestartSec=4\n", ours, StringComparison.Ordinal);
                ours = ours.Replace("RestartSec=4\n", string.Empty, StringComparison.Ordinal);
            }

            Assert.Equal(theirs.Split('\n'), ours.Split('\n'));
        }
    }

    private static string Normalize(string unit)
    {
        string joined = unit.Replace("\\\n\t", "\u0001", StringComparison.Ordinal);
        joined = ExecPrefix().Replace(joined, "$1EXE$3");
        joined = StorePath().Replace(joined, "$1STORE");
        return joined
            .Replace("Podman ", "skiff ", StringComparison.Ordinal)
            .Replace("%t/containers", "%t/skiff", StringComparison.Ordinal)
            .Replace("\u0001", "\\\n\t", StringComparison.Ordinal);
    }

    /// <summary>An Exec line's program and its global flags (each "--flag value"), up to the verb.</summary>
    [GeneratedRegex(@"^(Exec(?:Start|Stop|StopPost)=)\S+((?: \u0001--[\w-]+ \S+)*)( (?:run|start|stop|rm)\b)", RegexOptions.Multiline)]
    private static partial Regex ExecPrefix();

    [GeneratedRegex(@"^(RequiresMountsFor=|PIDFile=)(?!%t).*$", RegexOptions.Multiline)]
    private static partial Regex StorePath();
}
