using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// <c>--group-add keep-groups</c>: the container process keeps the supplementary groups of whoever runs
/// skiff (the test user is in <c>skiffextra</c>, made by tests/setup/users.sh), so a file readable only
/// by that group stays readable through a bind mount; without it the runtime drops the groups.
/// </summary>
[Trait("Category", "E2E")]
public sealed class GroupAddTests(ITestOutputHelper output)
{
    private const string ExtraGroup = "skiffextra";

    [Theory, RootAndRootless]
    public async Task Keep_groups_keeps_the_callers_supplementary_groups(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string image = await skiff.ImportBusyboxAsync();
        uint extra = GroupId(ExtraGroup);
        string secret = Path.Combine(skiff.Sandbox.Work, "group-only");
        File.WriteAllText(secret, "for the group\n");
        Assert.Equal(0, RunOnHost(["chown", $"4242:{extra.ToString(CultureInfo.InvariantCulture)}", secret]));
        File.SetUnixFileMode(secret, (UnixFileMode)Convert.ToInt32("640", 8));

        // Rootless, runuser gave skiff the test user's groups; as root, setpriv gives it the extra group.
        // The container runs as a user that neither owns the file nor has its group as primary group.
        string[] run = ["run", "--rm", "--network", "none", "-u", "1000:1000", "-v", $"{secret}:/secret:ro"];
        string probe = "id -G; cat /secret";
        ProcessResult kept = await Skiff(skiff, rootless, [.. run, "--group-add", "keep-groups", image, "sh", "-c", probe]);
        kept.AssertSuccess();
        Assert.EndsWith("for the group\n", kept.Stdout, StringComparison.Ordinal);

        // Inside, the kept group has its host id as root; rootless it is not mapped and shows as the overflow gid.
        string expectedGroup = rootless ? "65534" : extra.ToString(CultureInfo.InvariantCulture);
        Assert.Contains(expectedGroup, kept.StdoutLines[0].Split(' '));

        ProcessResult dropped = await Skiff(skiff, rootless, [.. run, image, "sh", "-c", probe]);
        dropped.AssertExitCode(1);
        Assert.Contains("Permission denied", dropped.Stderr, StringComparison.Ordinal);

        (await skiff.RunAsync("run", "--rm", "--group-add", "keep-groups", "--group-add", "10", image, "true"))
            .AssertError(125, "the '--group-add keep-groups' option is not allowed with any other --group-add options");
        (await skiff.RunAsync("create", "--runtime", "runc", "--group-add", "keep-groups", image, "true"))
            .AssertError(125, "keeps the original groups");
    }

    private static Task<ProcessResult> Skiff(SkiffCli skiff, bool rootless, string[] arguments) => rootless
        ? skiff.RunAsync(arguments)
        : skiff.ExecAsync("setpriv", [$"--groups={GroupId(ExtraGroup).ToString(CultureInfo.InvariantCulture)}", "--", skiff.Binary, .. skiff.StoreFlags(), .. arguments], null);

    private static uint GroupId(string name)
    {
        foreach (string line in File.ReadAllLines("/etc/group"))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name)
            {
                return uint.Parse(fields[2], CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"group {name} is missing: run tests/setup/users.sh");
        return 0;
    }

    private static int RunOnHost(string[] argv)
    {
        using var process = System.Diagnostics.Process.Start(argv[0], argv[1..]);
        process.WaitForExit();
        return process.ExitCode;
    }
}
