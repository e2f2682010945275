using System.Globalization;
using Skiff.Core.Users;

namespace Skiff.Tests.Support;

/// <summary>
/// Where the tests find the published skiff and who the rootless test user is. tests/run.sh sets
/// SKIFF_BIN and SKIFF_TEST_USER; the defaults suit a developer who published into out/.
/// </summary>
public static class TestEnvironment
{
    /// <summary>Directory holding Tool.sln, found by walking up from the test assembly.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The published (NativeAOT) skiff binary the end-to-end tests run.</summary>
    public static string SkiffBinary { get; } =
        NonEmpty(Environment.GetEnvironmentVariable("SKIFF_BIN")) ?? Path.Combine(RepositoryRoot, "out", "skiff");

    /// <summary>Unprivileged user with a subordinate id range, created by tests/run.sh.</summary>
    public static string RootlessUserName { get; } =
        NonEmpty(Environment.GetEnvironmentVariable("SKIFF_TEST_USER")) ?? "skifftest";

    /// <summary>True when the test process runs as root (the normal case: CI and tests/run.sh).</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>
    /// The rootless test user's passwd entry. When the tests themselves run unprivileged, the current
    /// user plays that part.
    /// </summary>
    public static TestUser RootlessUser()
    {
        if (!IsRoot)
        {
            CurrentUser self = CurrentUser.Detect();
            return new TestUser(self.Name, self.Uid, self.Gid, RunsAsSelf: true);
        }

        foreach (string line in File.ReadLines("/etc/passwd"))
        {
            string[] fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == RootlessUserName)
            {
                return new TestUser(
                    fields[0],
                    uint.Parse(fields[2], CultureInfo.InvariantCulture),
                    uint.Parse(fields[3], CultureInfo.InvariantCulture),
                    RunsAsSelf: false);
            }
        }

        Assert.Fail($"rootless test user '{RootlessUserName}' does not exist; run tests/run.sh as root once (it creates the user and its subordinate ids), or set SKIFF_TEST_USER");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Fails the test with a clear message when the published binary is missing.</summary>
    public static string RequireSkiffBinary()
    {
        if (!File.Exists(SkiffBinary))
        {
            Assert.Fail($"published skiff not found at {SkiffBinary}; run tests/run.sh, or `dotnet publish src/cli/Skiff.Cli.csproj -c Release -o out` and/or set SKIFF_BIN");
        }

        return SkiffBinary;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tool.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
