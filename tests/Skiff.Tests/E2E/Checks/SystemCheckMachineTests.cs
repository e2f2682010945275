using Skiff.Runtime.Cgroups;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Checks;

/// <summary>
/// <c>skiff system check</c> as the rootless test user on this machine with one real problem made at a time.
/// Each problem is made in a private mount namespace (root bind-mounts a changed copy over /etc/subuid, a
/// 0600 device node over /dev/net/tun, a copy of newuidmap without its setuid bit, an old slirp4netns ...)
/// and skiff then runs there as the user, so the machine itself never changes and parallel tests are not
/// disturbed.
/// </summary>
[Trait("Category", "E2E")]
public sealed class SystemCheckMachineTests(ITestOutputHelper output)
{
    private const string OldSlirp = "printf '#!/bin/sh\\necho \"slirp4netns version 0.3.0\"\\n' >$W/slirp4netns; chmod 0755 $W/slirp4netns; mount --bind $W/slirp4netns /usr/bin/slirp4netns";
    // With skiff's helper directories off, so the pasta checked is the system's (not tests/setup/passt.sh's build).
    private const string OldPasta = "export SKIFF_HELPER_BINARIES_DIR=; printf '#!/bin/sh\\necho \"Usage: pasta [OPTION]... --netns PATH --pid FILE --quiet --runas UID -T -U\"\\n' >$W/pasta; chmod 0755 $W/pasta; mount --bind $W/pasta /usr/bin/pasta";

    [Theory]
    [InlineData("subuid line removed", "grep -v '^USER:' /etc/subuid >$W/subuid; mount --bind $W/subuid /etc/subuid", "[subuid] USER has no subordinate uid range in /etc/subuid", "usermod --add-subuids")]
    [InlineData("overlapping subgid range", "cat /etc/subgid >$W/subgid; echo intruder:START:1000 >>$W/subgid; mount --bind $W/subgid /etc/subgid", "overlaps the range of intruder", "give USER a range no other user has")]
    [InlineData("tun device not accessible", "mknod -m 0600 $W/tun c 10 200; mount --bind $W/tun /dev/net/tun", "[tun] /dev/net/tun is not accessible to you", "chmod 0666 /dev/net/tun")]
    [InlineData("fuse device not accessible", "mknod -m 0600 $W/fuse c 10 229; mount --bind $W/fuse /dev/fuse", "[fuse] /dev/fuse is not accessible to you", "chmod 0666 /dev/fuse")]
    [InlineData("newuidmap without setuid", "cp /usr/bin/newuidmap $W/newuidmap; mount --bind $W/newuidmap /usr/bin/newuidmap", "[newuidmap] /usr/bin/newuidmap is neither setuid nor has file capabilities", "chmod u+s /usr/bin/newuidmap")]
    [InlineData("slirp4netns too old", OldSlirp, "[slirp4netns] /usr/bin/slirp4netns is version 0.3.0", "apt-get install slirp4netns")]
    [InlineData("pasta too old", OldPasta, "[pasta] /usr/bin/pasta is too old: it lacks --config-net, --dns-forward, --no-map-gw", "install a newer passt")]
    [InlineData("XDG_RUNTIME_DIR not owned by the user", "mkdir -m 0700 $W/foreign-run; export XDG_RUNTIME_DIR=$W/foreign-run", "is owned by uid 0, not by you", "chown USER")]
    [InlineData("XDG_RUNTIME_DIR unset", "unset XDG_RUNTIME_DIR", "[XDG_RUNTIME_DIR] XDG_RUNTIME_DIR is not set", "export XDG_RUNTIME_DIR=/run/user/UID")]
    public async Task Each_problem_is_reported_with_its_fix(string problem, string makeIt, string message, string fix)
    {
        using var skiff = new SkiffCli(output, rootless: true);
        TestUser user = skiff.Sandbox.User!;
        string start = (await skiff.ExecAsync("/bin/sh", "-c", $"grep '^{user.Name}:' /etc/subgid | cut -d: -f2")).AssertSuccess().Stdout.Trim();
        string Fill(string s) => s.Replace("USER", user.Name, StringComparison.Ordinal).Replace("UID", user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("START", (long.Parse(start, System.Globalization.CultureInfo.InvariantCulture) + 100).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        ProcessResult healthy = await CheckAsync(skiff, setup: "true");
        ProcessResult broken = await CheckAsync(skiff, Fill(makeIt));

        broken.AssertExitCode(1);
        Assert.Contains(Fill(message), broken.Stdout, StringComparison.Ordinal);
        Assert.Contains(Fill(fix), broken.Stdout, StringComparison.Ordinal);
        string firstLine = Fill(message).Split(' ')[0];
        Assert.True(!healthy.Stdout.Contains(Fill(message), StringComparison.Ordinal), $"'{problem}' is reported on the untouched machine too:\n{healthy.Stdout}");
        Assert.StartsWith("Problem:", broken.StdoutLines.First(l => l.Contains(firstLine, StringComparison.Ordinal) || l.Contains(Fill(message), StringComparison.Ordinal)).TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_untouched_machine_shows_only_what_it_really_lacks()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        ProcessResult result = await CheckAsync(skiff, setup: "true");

        // These machines have v1 cgroup controllers only, so rootless limits are the one thing missing;
        // everything else (ranges, newuidmap, devices, helpers, overlay in the user namespace) works.
        List<string> problems = result.StdoutLines.Where(l => l.StartsWith("Problem:", StringComparison.Ordinal)).ToList();
        Assert.All(problems, p => Assert.StartsWith("Problem: [cgroups]", p, StringComparison.Ordinal));
        Assert.Contains("Store: no problems found.", result.Stdout, StringComparison.Ordinal);

        string json = (await skiff.RunAsync("info", "--debug", "--format", "json")).AssertSuccess().Stdout;
        Assert.Contains("\"problems\"", json, StringComparison.Ordinal);
        Assert.Contains("\"cgroups\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_on_this_machine_has_no_problems()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        ProcessResult result = (await skiff.RunAsync("system", "check")).AssertSuccess();
        Assert.Contains("No system problems found.", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// As root on the real v1 hierarchies and the cgroup2 one: an empty group named like a container of no store, made
    /// five minutes ago (its directory's time set back), is reported and removed by --repair; a young one, one of
    /// this store's own containers and the groups of another store's running container (also set back) are kept.
    /// </summary>
    [Fact]
    public async Task Root_check_reports_an_orphaned_cgroup_and_repair_removes_only_that()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        using var other = new SkiffCli(output, rootless: false);
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        string[] hierarchies = [layout.V1Mounts["memory"], layout.V1Mounts["pids"], layout.UnifiedMount!];
        DateTime fiveMinutesAgo = DateTime.UtcNow.AddMinutes(-5);

        await other.ImportBusyboxAsync("busybox");
        string live = (await other.RunAsync("run", "-d", "busybox", "sleep", "1000")).AssertSuccess().Stdout.Trim();
        await skiff.ImportBusyboxAsync("busybox");
        string own = (await skiff.RunAsync("create", "busybox", "true")).AssertSuccess().Stdout.Trim();
        string orphan = NewId(), young = NewId();
        string Group(string hierarchy, string id) => Path.Combine(hierarchy, "skiff", id);
        var made = new List<string>();
        try
        {
            // Orphans other runs left are cleared first, so this one is among the few paths the report names.
            (await skiff.RunAsync("system", "check", "--repair")).AssertSuccess();
            foreach (string hierarchy in hierarchies)
            {
                foreach (string id in new[] { orphan, young, own })
                {
                    Directory.CreateDirectory(Group(hierarchy, id));
                    made.Add(Group(hierarchy, id));
                }

                Directory.SetLastWriteTimeUtc(Group(hierarchy, orphan), fiveMinutesAgo);
                Directory.SetLastWriteTimeUtc(Group(hierarchy, own), fiveMinutesAgo);
            }

            string[] liveGroups = Directory.GetDirectories(layout.V1Mounts["memory"], "*", SearchOption.AllDirectories).Where(d => Path.GetFileName(d) == live).ToArray();
            Assert.NotEmpty(liveGroups);
            foreach (string group in liveGroups)
            {
                Directory.SetLastWriteTimeUtc(group, fiveMinutesAgo);
            }

            ProcessResult check = await skiff.RunAsync("system", "check");
            check.AssertExitCode(1);
            Assert.Contains("Problem: [cgroups] ", check.Stdout, StringComparison.Ordinal);
            Assert.Contains(Group(layout.V1Mounts["memory"], orphan), check.Stdout, StringComparison.Ordinal);
            Assert.Contains("Fix: skiff system check --repair", check.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(young, check.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(own, check.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(live, check.Stdout, StringComparison.Ordinal);

            ProcessResult repaired = (await skiff.RunAsync("system", "check", "--repair")).AssertSuccess();
            foreach (string hierarchy in hierarchies)
            {
                Assert.Contains($"Repaired: [cgroups] removed orphaned cgroup {Group(hierarchy, orphan)}", repaired.Stdout, StringComparison.Ordinal);
                Assert.False(Directory.Exists(Group(hierarchy, orphan)));
                Assert.True(Directory.Exists(Group(hierarchy, young)));
                Assert.True(Directory.Exists(Group(hierarchy, own)));
            }

            Assert.All(liveGroups, g => Assert.True(Directory.Exists(g)));
            Assert.Equal("running\n", (await other.RunAsync("inspect", "--format", "{{.State.Status}}", live)).AssertSuccess().Stdout);
            Assert.Contains("Cgroups: no orphaned groups found.", (await skiff.RunAsync("system", "check")).AssertSuccess().Stdout, StringComparison.Ordinal);
        }
        finally
        {
            made.Where(Directory.Exists).ToList().ForEach(d => Directory.Delete(d));
            await other.RunAsync("rm", "-f", live);
        }
    }

    /// <summary>Rootless here has no delegated cgroup: root's groups are neither reported nor touched, and nothing fails on them.</summary>
    [Fact]
    public async Task Rootless_check_leaves_roots_cgroups_alone()
    {
        using var skiff = new SkiffCli(output, rootless: true);
        string orphan = Path.Combine(CgroupLayoutDetector.Detect().V1Mounts["memory"], "skiff", NewId());
        Directory.CreateDirectory(orphan);
        try
        {
            Directory.SetLastWriteTimeUtc(orphan, DateTime.UtcNow.AddMinutes(-5));
            foreach (string[] arguments in new[] { new[] { "system", "check" }, ["system", "check", "--repair"] })
            {
                ProcessResult result = await skiff.RunAsync(arguments);
                Assert.Contains("Store: no problems found.", result.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("orphaned", result.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("Cgroups:", result.Stdout, StringComparison.Ordinal);
                Assert.DoesNotContain("cgroup", result.Stderr, StringComparison.OrdinalIgnoreCase);
            }

            Assert.True(Directory.Exists(orphan));
        }
        finally
        {
            Directory.Delete(orphan);
        }
    }

    private static string NewId() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();

    /// <summary>
    /// As root: a private mount namespace, the <paramref name="setup"/> shell commands (with $W a scratch
    /// directory), then <c>skiff system check</c> as the sandbox's user with the sandbox's environment.
    /// </summary>
    private async Task<ProcessResult> CheckAsync(SkiffCli skiff, string setup)
    {
        string scratch = Path.Combine(Path.GetTempPath(), $"skiff-check-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            string exports = string.Join(' ', skiff.Environment.Select(kv => $"{kv.Key}={TestProcess.Quote(kv.Value)}"));
            string script = $"set -e; W={scratch}; export {exports}; {setup}; "
                + $"exec runuser -u {skiff.Sandbox.User!.Name} -- /usr/bin/env ${{XDG_RUNTIME_DIR+XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR}} ${{SKIFF_HELPER_BINARIES_DIR+SKIFF_HELPER_BINARIES_DIR=$SKIFF_HELPER_BINARIES_DIR}} PATH=$PATH HOME=$HOME XDG_DATA_HOME=$XDG_DATA_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME {skiff.Binary} system check";
            var spec = new ProcessSpec("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", script])
            {
                Environment = new Dictionary<string, string> { ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
                WorkingDirectory = skiff.Sandbox.Work,
                Timeout = TimeSpan.FromSeconds(60),
            };
            return await TestProcess.RunAsync(spec, output);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
