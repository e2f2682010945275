using System.Globalization;
using Skiff.Rootless.Network;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Network;

/// <summary>
/// skiff's helper directories (SKIFF_HELPER_BINARIES_DIR, default /usr/local/lib/skiff/helpers where
/// tests/setup/passt.sh builds a newer pasta) come before PATH: info names the pasta that run uses, and a
/// configured directory is what the container's pasta runs from.
/// </summary>
[Trait("Category", "E2E")]
public sealed class HelperDirectoryTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Info_names_the_pasta_found_in_the_helper_directories_first_and_its_version(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        skiff.Environment.TryGetValue(HelperDirectories.EnvironmentVariable, out string? configured);
        string? expected = NetworkHelpers.Find(HelperDirectories.Parse(configured, skiff.Binary).SearchOrder(skiff.Environment["PATH"])).Pasta;
        Assert.NotNull(expected);

        string[] info = (await skiff.RunAsync("info", "--format", "{{.Host.Pasta.Executable}}\n{{.Host.Pasta.Version}}")).AssertSuccess().StdoutLines.ToArray();

        Assert.Equal(expected, info[0]);
        // Debian 12's pasta says "unknown version"; a build of tests/setup/passt.sh says the Debian version it was built from.
        string versionFile = Path.Combine(Path.GetDirectoryName(expected)!, "passt.version");
        Assert.Equal(File.Exists(versionFile) ? File.ReadAllText(versionFile).Trim() : "unknown version", info[1]);
    }

    [Theory, RootAndRootless]
    public async Task A_configured_helper_directory_is_where_the_containers_pasta_runs_from(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string system = NetworkHelpers.Find(new HelperDirectories([]).SearchOrder(skiff.Environment["PATH"])).Pasta
            ?? throw new InvalidOperationException("no pasta in PATH");
        // A directory of the sandbox (readable by the rootless user) with a pasta that is the system's.
        string helpers = Path.Combine(skiff.Sandbox.Work, "helpers");
        Directory.CreateDirectory(helpers);
        File.SetUnixFileMode(helpers, (UnixFileMode)Convert.ToInt32("755", 8));
        File.CreateSymbolicLink(Path.Combine(helpers, "pasta"), system);
        skiff.Environment[HelperDirectories.EnvironmentVariable] = "/nonexistent:" + helpers;

        Assert.Equal(Path.Combine(helpers, "pasta") + "\n", (await skiff.RunAsync("info", "--format", "{{.Host.Pasta.Executable}}")).AssertSuccess().Stdout);
        string id = (await skiff.RunAsync("run", "-d", "busybox", "sleep", "60")).AssertSuccess().Stdout.Trim();
        // The pasta of this container (started early, its arguments name a directory of this sandbox's run root).
        List<string> running = Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(ReadCommandLine)
            .OfType<string>()
            .Where(c => c.Contains(skiff.Sandbox.RunRoot, StringComparison.Ordinal))
            .Select(c => c.Split('\0')[0])
            .Where(program => Path.GetFileName(program) == "pasta")
            .ToList();
        Assert.NotEmpty(running);
        Assert.All(running, program => Assert.Equal(Path.Combine(helpers, "pasta"), program));
        (await skiff.RunAsync("rm", "-f", id)).AssertSuccess();
    }

    private static string? ReadCommandLine(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline"));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
