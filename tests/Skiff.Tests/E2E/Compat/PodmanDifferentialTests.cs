using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Compat;

/// <summary>
/// The same commands through podman (runc, the ulimit flags this machine needs) and skiff, on the same
/// imported busybox rootfs: the same exit codes and the same key inspect fields.
/// </summary>
[Trait("Category", "E2E")]
public sealed class PodmanDifferentialTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Run_and_exec_exit_codes_match_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string[] podmanRun = ["--runtime", "runc", "run", "--rm", .. PodmanCli.UlimitFlags, "--network", "none"];
        string[] skiffRun = ["run", "--rm", "--network", "none"];

        // pid 1 cannot kill itself with a signal it has no handler for: exit 0 in both.
        string[][] commands = [["true"], ["sh", "-c", "exit 3"], ["no-such-program"], ["/etc/passwd"], ["/etc"], ["sh", "-c", "kill -9 $$"]];
        var podmanCodes = new List<int>();
        foreach (string[] command in commands)
        {
            podmanCodes.Add((await podman.RunAsync([.. podmanRun, image, .. command])).ExitCode);
            Assert.Equal(podmanCodes[^1], (await skiff.RunAsync([.. skiffRun, image, .. command])).ExitCode);
        }

        Assert.Equal([0, 3, 127, 126, 126, 0], podmanCodes);

        // Errors of the engine itself: 125 in both.
        Assert.Equal(125, (await podman.RunAsync([.. podmanRun, "--no-such-flag", image, "true"])).ExitCode);
        (await skiff.RunAsync([.. skiffRun, "--no-such-flag", image, "true"])).AssertExitCode(125);
        Assert.Equal(125, (await podman.RunAsync([.. podmanRun, "--pull", "never", "localhost/no-such-image:1", "true"])).ExitCode);
        (await skiff.RunAsync([.. skiffRun, "--pull", "never", "localhost/no-such-image:1", "true"])).AssertExitCode(125);

        // A user the image lacks is found when the container starts: 126 from run in both.
        Assert.Equal(126, (await podman.RunAsync([.. podmanRun, "-u", "nosuch", image, "true"])).ExitCode);
        (await skiff.RunAsync([.. skiffRun, "-u", "nosuch", image, "true"])).AssertExitCode(126);

        // inspect of nothing: "[]" on stdout, an error naming it, 125.
        ProcessResult podmanMissing = (await podman.RunAsync("inspect", "no-such-thing")).AssertExitCode(125);
        ProcessResult skiffMissing = (await skiff.RunAsync("inspect", "no-such-thing")).AssertExitCode(125);
        Assert.Equal(podmanMissing.Stdout.Trim(), skiffMissing.Stdout.Trim());
        Assert.Equal(podmanMissing.Stderr.Trim(), skiffMissing.Stderr.Trim());
        Assert.Equal(
            (await podman.RunAsync("container", "inspect", "no-such-thing")).AssertExitCode(125).Stderr.Trim(),
            (await skiff.RunAsync("container", "inspect", "no-such-thing")).AssertExitCode(125).Stderr.Trim());

        // Killed by SIGKILL: 137 from wait and in inspect; exec codes pass through.
        string name = "k-" + Guid.NewGuid().ToString("N")[..8];
        (await podman.RunAsync(["--runtime", "runc", "run", "-d", "--name", name, .. PodmanCli.UlimitFlags, "--network", "none", image, "sleep", "300"])).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", name, "--network", "none", image, "sleep", "300")).AssertSuccess();
        foreach (string[] exec in new[] { new[] { "sh", "-c", "exit 5" }, ["no-such-program"], ["/etc/passwd"], ["true"] })
        {
            int expected = (await podman.RunAsync(["exec", name, .. exec])).ExitCode;
            Assert.Equal(expected, (await skiff.RunAsync(["exec", name, .. exec])).ExitCode);
        }

        (await podman.RunAsync("kill", "-s", "KILL", name)).AssertSuccess();
        (await skiff.RunAsync("kill", "-s", "KILL", name)).AssertSuccess();
        Assert.Equal("137", (await podman.RunAsync("wait", name)).AssertSuccess().Stdout.Trim());
        Assert.Equal("137", (await skiff.RunAsync("wait", name)).AssertSuccess().Stdout.Trim());
        // podman says "stopped" until its asynchronous cleanup ran, "exited" after: both mean exited here.
        string state = "{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}";
        Assert.Equal(
            (await podman.RunAsync("inspect", "-f", state, name)).AssertSuccess().Stdout.Replace("stopped", "exited", StringComparison.Ordinal),
            (await skiff.RunAsync("inspect", "-f", state, name)).AssertSuccess().Stdout);

        // exec into a container that is not running: 255 in both.
        Assert.Equal(255, (await podman.RunAsync("exec", name, "true")).ExitCode);
        (await skiff.RunAsync("exec", name, "true")).AssertExitCode(255);
        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Missing_containers_and_unknown_verbs_fail_as_in_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string name = "m-" + Guid.NewGuid().ToString("N")[..8];
        (await podman.RunAsync(["--runtime", "runc", "create", "--name", name, .. PodmanCli.UlimitFlags, "--network", "none", image, "sleep", "300"])).AssertSuccess();
        (await skiff.RunAsync("create", "--name", name, "--network", "none", image, "sleep", "300")).AssertSuccess();

        // podman resolves every name first: one missing fails the whole command (rm: 1, the rest: 125) and
        // touches none of the others, with one error line naming the first missing one.
        string[][] sameOutput =
        [
            ["stop", "nosuch"], ["stop", name, "nosuch"], ["kill", name, "nosuch"], ["start", name, "nosuch"], ["restart", name, "nosuch"],
            ["pause", name, "nosuch"], ["unpause", name, "nosuch"], ["wait", name, "nosuch"], ["rm", name, "nosuch"], ["rm", "nosuch", "nosuch2"],
            ["update", "--cpus", "1", "nosuch"], ["logs", "nosuch"], ["port", "nosuch"], ["attach", "nosuch"], ["exec", "nosuch", "true"],
            ["export", "nosuch"], ["container", "stop", "nosuch"], ["container", "rm", "nosuch"],
            // --ignore, and rm --force, skip missing ones silently.
            ["stop", "-i", "nosuch"], ["rm", "-i", "nosuch"], ["rm", "-f", "nosuch"],
            ["container", "exists", "nosuch"], ["container", "exists", name],
        ];
        foreach (string[] command in sameOutput)
        {
            ProcessResult expected = await podman.RunAsync(command);
            ProcessResult actual = await skiff.RunAsync(command);
            string shown = string.Join(' ', command);
            Assert.True(expected.ExitCode == actual.ExitCode, $"{shown}: podman exited {expected.ExitCode}, skiff {actual.ExitCode}: {actual.Stderr}");
            Assert.Equal(expected.Stdout.Trim(), actual.Stdout.Trim());
            // Rootless podman refuses pause on cgroup v1 before it looks the names up; skiff pauses there.
            if (!(rootless && command[0] is "pause" or "unpause"))
            {
                Assert.Equal(expected.Stderr.Trim(), actual.Stderr.Trim());
            }
        }

        Assert.Equal("created", (await podman.RunAsync("inspect", "-f", "{{.State.Status}}", name)).AssertSuccess().Stdout.Trim());
        Assert.Equal("created", (await skiff.RunAsync("inspect", "-f", "{{.State.Status}}", name)).AssertSuccess().Stdout.Trim());

        // podman words these with extra context; the exit code and the reason are the same.
        foreach (string[] command in new[] { new[] { "top", "nosuch" }, ["stats", "--no-stream", "nosuch"] })
        {
            Assert.Equal((await podman.RunAsync(command)).ExitCode, (await skiff.RunAsync(command)).AssertError(125, "no container with name or ID \"nosuch\" found").ExitCode);
        }

        // A group of verbs given an unknown verb, or none.
        foreach (string[] command in new[] { new[] { "network", "frob" }, ["volume", "frob", "x"], ["container", "frob"], ["network"] })
        {
            ProcessResult expected = await podman.RunAsync(command);
            ProcessResult actual = await skiff.RunAsync(command);
            Assert.Equal(expected.ExitCode, actual.ExitCode);
            Assert.Equal(expected.Stderr.Split('\n')[0].Replace("podman", "skiff", StringComparison.Ordinal), actual.Stderr.Split('\n')[0]);
        }

        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Exists_rmi_and_noheading_behave_as_in_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string name = "e-" + Guid.NewGuid().ToString("N")[..8];
        (await podman.RunAsync(["--runtime", "runc", "create", "--name", name, .. PodmanCli.UlimitFlags, "--network", "none", image, "true"])).AssertSuccess();
        (await skiff.RunAsync("create", "--name", name, "--network", "none", image, "true")).AssertSuccess();
        foreach (string[] create in new[] { new[] { "volume", "create", name }, ["network", "create", name] })
        {
            (await podman.RunAsync(create)).AssertSuccess();
            (await skiff.RunAsync(create)).AssertSuccess();
        }

        // Scripts test with `exists` (0 or 1, nothing printed), and read rmi's exit status: 1 for an image
        // that does not exist, 2 for one a container uses (podman-rmi(1)), also when another target went.
        string[][] commands =
        [
            ["image", "exists", image], ["image", "exists", "localhost/nosuch:1"], ["volume", "exists", name], ["volume", "exists", "nosuch"],
            ["network", "exists", name], ["network", "exists", "nosuch"], ["container", "exists", name],
            ["rmi", "localhost/nosuch:1"], ["rmi", "localhost/nosuch:1", "localhost/nosuch:2"], ["rmi", image], ["rmi", "localhost/nosuch:1", image],
            // --noheading leaves out the header row of a table, and only that.
            ["ps", "-a", "--noheading", "--format", "table {{.Names}}\t{{.Status}}"], ["images", "--noheading", "--format", "table {{.Repository}}\t{{.Tag}}"],
            ["images", "-n", "--format", "table {{.Repository}}"], ["volume", "ls", "--noheading", "--format", "table {{.Name}}\t{{.Driver}}"],
            ["network", "ls", "--noheading", "--filter", "name=" + name, "--format", "table {{.Name}}\t{{.Driver}}"],
            ["ps", "-a", "--noheading", "--format", "{{.Names}}"],
            // A state that does not exist is an error, not an empty list.
            ["ps", "-a", "--filter", "status=bogus"], ["ps", "-a", "--filter", "exited=abc"], ["ps", "-a", "--filter", "status=created", "--format", "{{.Names}}"],
        ];
        foreach (string[] command in commands)
        {
            ProcessResult expected = await podman.RunAsync(command);
            ProcessResult actual = await skiff.RunAsync(command);
            string shown = string.Join(' ', command);
            Assert.True(expected.ExitCode == actual.ExitCode, $"{shown}: podman exited {expected.ExitCode}, skiff {actual.ExitCode}: {actual.Stderr}");
            // Columns: podman pads with two spaces, skiff with docker's three.
            Assert.True(Columns(expected.Stdout) == Columns(actual.Stdout), $"{shown}: podman printed\n{expected.Stdout}skiff\n{actual.Stdout}");
        }

        Assert.Single((await skiff.RunAsync("images", "--noheading")).AssertSuccess().StdoutLines);

        // A target that went (an untagged name) does not hide one that was missing.
        (await podman.RunAsync("tag", image, "localhost/second:1")).AssertSuccess();
        (await skiff.RunAsync("tag", image, "localhost/second:1")).AssertSuccess();
        string[] mixed = ["rmi", "localhost/second:1", "localhost/nosuch:1"];
        Assert.Equal(1, (await podman.RunAsync(mixed)).ExitCode);
        Assert.Equal("Untagged: localhost/second:1", (await skiff.RunAsync(mixed)).AssertError(1, "localhost/nosuch:1: image not known").Stdout.Trim());
        (await skiff.RunAsync("rm", name)).AssertSuccess();
        (await skiff.RunAsync("network", "rm", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task User_and_groups_inside_match_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        // Users listed in extra groups of the image's /etc/group, and one (root) listed in one too.
        string passwd = TestImages.Passwd + "alice:x:1100:1100:alice:/home/alice:/bin/sh\nbob:x:1101:1101:bob:/home/bob:/bin/sh\n";
        string group = "root:x:0:\ndaemon:x:1:\napp:x:1000:\nnogroup:x:65534:\nalice:x:1100:\nbob:x:1101:\n"
            + "wheel:x:10:root,alice,bob\naudio:x:29:alice\nvideo:x:44:bob\nstaff:x:50:\n";
        string tar = TestImages.WriteBusyboxRootfsTar(Path.Combine(skiff.Sandbox.Work, "groups.tar"), passwd, group);
        (await skiff.RunAsync("import", "-q", tar, "localhost/groups:latest")).AssertSuccess();
        (await podman.RunAsync("import", "-q", tar, "localhost/groups:latest")).AssertSuccess();

        string[][] users =
        [
            [], ["-u", "root"], ["-u", "0:0"], ["-u", "alice"], ["-u", "1100"], ["-u", "1100:44"], ["-u", "alice:video"], ["-u", "bob:staff"],
            ["-u", "2000"], ["-u", "2000:3000"], ["-u", "alice", "--group-add", "staff"], ["-u", "alice", "--group-add", "500"],
            ["-u", "1100", "--group-add", "audio"], ["--group-add", "video"],
        ];
        foreach (string[] user in users)
        {
            // With the names, HOME and the entries podman adds to /etc/passwd and /etc/group for ids the image lacks.
            string[] probe = [.. user, "localhost/groups:latest", "sh", "-c", "echo $(id -u) $(id -g) $(id -G); id; echo $HOME; tail -1 /etc/passwd; tail -1 /etc/group"];
            string expected = (await podman.RunAsync(["--runtime", "runc", "run", "--rm", .. PodmanCli.UlimitFlags, "--network", "none", .. probe])).AssertSuccess().Stdout;
            string actual = (await skiff.RunAsync(["run", "--rm", "--network", "none", .. probe])).AssertSuccess().Stdout;
            Assert.True(expected == actual, $"{string.Join(' ', user)}: podman {expected.Trim()}, skiff {actual.Trim()}");
        }

        // exec as another user: the same rules.
        string name = "u-" + Guid.NewGuid().ToString("N")[..8];
        (await podman.RunAsync(["--runtime", "runc", "run", "-d", "--name", name, .. PodmanCli.UlimitFlags, "--network", "none", "localhost/groups:latest", "sleep", "300"])).AssertSuccess();
        (await skiff.RunAsync("run", "-d", "--name", name, "--network", "none", "localhost/groups:latest", "sleep", "300")).AssertSuccess();
        foreach (string user in new[] { "alice", "bob:staff", "1100" })
        {
            string[] exec = ["exec", "-u", user, name, "sh", "-c", "echo $(id -u) $(id -g) $(id -G)"];
            Assert.Equal((await podman.RunAsync(exec)).AssertSuccess().Stdout, (await skiff.RunAsync(exec)).AssertSuccess().Stdout);
        }

        (await skiff.RunAsync("rm", "-f", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Inspect_shows_the_same_key_fields_as_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string name = "i-" + Guid.NewGuid().ToString("N")[..8];
        string[] flags =
        [
            "--name", name, "-e", "FOO=bar", "-w", "/tmp", "-u", "65534", "--label", "a=b", "--label", "c=d", "--hostname", "box",
            "--network", "none", "--read-only", "--cap-add", "NET_ADMIN", "--cap-drop", "CHOWN", "--stop-timeout", "7",
            "--ulimit", "nofile=1000:2000",
        ];

        (await podman.RunAsync(["--runtime", "runc", "create", "--ulimit", "nproc=32768:32768", .. flags, image, "sleep", "300"])).AssertSuccess();
        (await skiff.RunAsync(["create", .. flags, image, "sleep", "300"])).AssertSuccess();
        JsonElement podmanCreated = await InspectAsync(podman.RunAsync("inspect", name));
        JsonElement skiffCreated = await InspectAsync(skiff.RunAsync("inspect", name));
        AssertSameFields(podmanCreated, skiffCreated);

        (await podman.RunAsync("start", name)).AssertSuccess();
        (await skiff.RunAsync("start", name)).AssertSuccess();
        AssertSameFields(await InspectAsync(podman.RunAsync("inspect", name)), await InspectAsync(skiff.RunAsync("inspect", name)));

        (await podman.RunAsync("stop", "-t", "0", name)).AssertSuccess();
        (await skiff.RunAsync("stop", "-t", "0", name)).AssertSuccess();
        AssertSameFields(await InspectAsync(podman.RunAsync("inspect", name)), await InspectAsync(skiff.RunAsync("inspect", name)));
        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Healthchecks_match_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string name = "h-" + Guid.NewGuid().ToString("N")[..8];
        string[] flags =
        [
            "--name", name, "--network", "none", "--health-cmd", "echo out; echo err >&2; test -f /tmp/ok", "--health-interval", "disable",
            "--health-retries", "2", "--health-timeout", "10s", "--health-start-period", "0s", "--health-on-failure", "none",
        ];
        (await podman.RunAsync(["--runtime", "runc", "run", "-d", .. PodmanCli.UlimitFlags, .. flags, image, "sleep", "300"])).AssertSuccess();
        (await skiff.RunAsync(["run", "-d", .. flags, image, "sleep", "300"])).AssertSuccess();
        string[] fields = ["Config.Healthcheck", "Config.HealthcheckOnFailureAction", "State.Health.Status", "State.Health.FailingStreak"];
        await AssertSameAsync(podman, skiff, name, fields);

        // Two failures (retries 2) make it unhealthy; then a success healthy. Same codes, output and log in both.
        foreach (string step in new[] { "fail", "fail", "touch", "pass" })
        {
            if (step == "touch")
            {
                (await podman.RunAsync("exec", name, "touch", "/tmp/ok")).AssertSuccess();
                (await skiff.RunAsync("exec", name, "touch", "/tmp/ok")).AssertSuccess();
                continue;
            }

            ProcessResult fromPodman = await podman.RunAsync("healthcheck", "run", name);
            ProcessResult fromSkiff = await skiff.RunAsync("healthcheck", "run", name);
            Assert.Equal((fromPodman.ExitCode, fromPodman.Stdout), (fromSkiff.ExitCode, fromSkiff.Stdout));
            await AssertSameAsync(podman, skiff, name, fields);
        }

        JsonElement podmanLog = Select(await InspectAsync(podman.RunAsync("inspect", name)), "State.Health.Log");
        JsonElement skiffLog = Select(await InspectAsync(skiff.RunAsync("inspect", name)), "State.Health.Log");
        Assert.Equal(
            podmanLog.EnumerateArray().Select(entry => Json(entry, "ExitCode") + " " + Json(entry, "Output")),
            skiffLog.EnumerateArray().Select(entry => Json(entry, "ExitCode") + " " + Json(entry, "Output")));

        // The exec form, --no-healthcheck, and a container without one (and healthcheck run on it: 125).
        string exec = name + "-x";
        string off = name + "-n";
        string plain = name + "-p";
        foreach ((string container, string[] extra) in new[] { (exec, new[] { "--health-cmd", "[\"sh\",\"-c\",\"exit 0\"]", "--health-on-failure", "kill" }), (off, new[] { "--no-healthcheck" }), (plain, Array.Empty<string>()) })
        {
            (await podman.RunAsync(["--runtime", "runc", "create", .. PodmanCli.UlimitFlags, "--name", container, .. extra, image, "true"])).AssertSuccess();
            (await skiff.RunAsync(["create", "--name", container, .. extra, image, "true"])).AssertSuccess();
            await AssertSameAsync(podman, skiff, container, ["Config.Healthcheck", "Config.HealthcheckOnFailureAction", "State.Health"]);
        }

        (await podman.RunAsync("start", plain)).AssertSuccess();
        (await skiff.RunAsync("start", plain)).AssertSuccess();
        Assert.Equal(125, (await podman.RunAsync("healthcheck", "run", plain)).ExitCode);
        (await skiff.RunAsync("healthcheck", "run", plain)).AssertExitCode(125);
        (await skiff.RunAsync("rm", "-f", name, exec, off, plain)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Top_descriptors_match_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string name = "t-" + Guid.NewGuid().ToString("N")[..8];
        string[] flags = ["--name", name, "--network", "none", "--group-add", "1000", "--group-add", "1", "--group-add", "4242", "--cap-add", "NET_ADMIN", "--cap-drop", "CHOWN"];
        string[] command = ["sh", "-c", "sleep 300 & renice -n 7 -p $! >/dev/null; sleep 301 & wait"];
        (await podman.RunAsync(["--runtime", "runc", "run", "-d", .. PodmanCli.UlimitFlags, .. flags, image, .. command])).AssertSuccess();
        (await skiff.RunAsync(["run", "-d", .. flags, image, .. command])).AssertSuccess();

        // Values that do not depend on the engine or the moment: ids, groups (names from the image, host ids), nice,
        // process groups, capability sets, seccomp and the LSM label (not pids: runc's start forks more than skiff's).
        string[] descriptors = ["ppid", "user", "group", "groups", "hgroups", "nice", "pgid", "capeff", "capbnd", "capprm", "capinh", "capamb", "seccomp", "label", "args"];
        await Poll.UntilAsync(async () => (await podman.RunAsync(["top", name, .. descriptors])).Stdout.Contains("sleep 301"));
        await Poll.UntilAsync(async () => (await skiff.RunAsync(["top", name, .. descriptors])).Stdout.Contains("sleep 301"));
        // podman ends each command line with a space (psgo joins argv with the empty string after its last NUL).
        string fromPodman = string.Join('\n', (await podman.RunAsync(["top", name, .. descriptors])).AssertSuccess().StdoutLines.Select(l => l.TrimEnd()));
        string fromSkiff = (await skiff.RunAsync(["top", name, .. descriptors])).AssertSuccess().Stdout.TrimEnd('\n');
        Assert.Contains("daemon,app,4242", fromPodman);
        Assert.Contains(" 7 ", fromPodman);
        Assert.Equal(fromPodman, fromSkiff);
        (await skiff.RunAsync("rm", "-f", "-t", "0", name)).AssertSuccess();
    }

    private static async Task AssertSameAsync(PodmanCli podman, SkiffCli skiff, string name, string[] fields)
    {
        JsonElement fromPodman = await InspectAsync(podman.RunAsync("inspect", name));
        JsonElement fromSkiff = await InspectAsync(skiff.RunAsync("inspect", name));
        foreach (string field in fields)
        {
            Assert.True(Json(fromPodman, field) == Json(fromSkiff, field), $"{name} {field}: podman {Json(fromPodman, field)}, skiff {Json(fromSkiff, field)}");
        }
    }

    private static async Task<JsonElement> InspectAsync(Task<ProcessResult> inspect)
    {
        ProcessResult result = (await inspect).AssertSuccess();
        return JsonDocument.Parse(result.Stdout).RootElement[0].Clone();
    }

    private static void AssertSameFields(JsonElement podman, JsonElement skiff)
    {
        foreach (string field in new[]
        {
            "Name", "State.Status", "State.Running", "State.Paused", "State.ExitCode", "State.OOMKilled",
            "Config.Cmd", "Config.WorkingDir", "Config.User", "Config.Labels", "Config.Hostname", "Config.Tty", "Config.OpenStdin", "Config.StopTimeout",
            "Config.Image", "Config.StopSignal", "ImageName",
            "HostConfig.NetworkMode", "HostConfig.ReadonlyRootfs", "HostConfig.AutoRemove", "HostConfig.Privileged",
            "HostConfig.CapAdd", "HostConfig.CapDrop", "HostConfig.LogConfig.Type", "HostConfig.Binds", "HostConfig.GroupAdd", "HostConfig.RestartPolicy",
        })
        {
            Assert.True(Json(podman, field) == Json(skiff, field), $"{field}: podman {Json(podman, field)}, skiff {Json(skiff, field)}");
        }

        // Paths differ between the engines; that they are there does not.
        foreach (string field in new[] { "ResolvConfPath", "HostnamePath", "HostsPath", "HostConfig.RestartPolicy.Name" })
        {
            Assert.True(TrySelect(podman, field) is null == TrySelect(skiff, field) is null, $"{field}: podman {Json(podman, field)}, skiff {Json(skiff, field)}");
        }

        // podman also lists its own TERM without a terminal, and HOME from the image's passwd.
        static bool Podmans(string variable) => variable is "TERM=xterm" || variable.StartsWith("HOME=", StringComparison.Ordinal);
        string[] podmanEnv = [.. Strings(podman, "Config.Env").Where(v => !Podmans(v)).Order(StringComparer.Ordinal)];
        string[] skiffEnv = [.. Strings(skiff, "Config.Env").Where(v => !Podmans(v)).Order(StringComparer.Ordinal)];
        Assert.Equal(podmanEnv, skiffEnv);

        JsonElement ulimit = Select(skiff, "HostConfig.Ulimits").EnumerateArray().Single(u => u.GetProperty("Name").GetString() == "RLIMIT_NOFILE");
        JsonElement podmanUlimit = Select(podman, "HostConfig.Ulimits").EnumerateArray().Single(u => u.GetProperty("Name").GetString() == "RLIMIT_NOFILE");
        Assert.Equal(Json(podmanUlimit, "Soft") + "/" + Json(podmanUlimit, "Hard"), Json(ulimit, "Soft") + "/" + Json(ulimit, "Hard"));
    }

    private static JsonElement Select(JsonElement root, string path)
    {
        JsonElement current = root;
        foreach (string part in path.Split('.'))
        {
            current = current.GetProperty(part);
        }

        return current;
    }

    private static JsonElement? TrySelect(JsonElement root, string path)
    {
        JsonElement current = root;
        foreach (string part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static string Json(JsonElement root, string path) => TrySelect(root, path) switch
    {
        null => "<missing>",
        { ValueKind: JsonValueKind.Array } array => "[" + string.Join(",", array.EnumerateArray().Select(e => e.GetRawText())) + "]",
        { ValueKind: JsonValueKind.Null } => "[]",
        { ValueKind: JsonValueKind.Object } map => string.Join(",", map.EnumerateObject().Select(p => $"{p.Name}={p.Value}").Order(StringComparer.Ordinal)),
        { ValueKind: JsonValueKind.String } text when path == "State.Status" => text.GetString() == "stopped" ? "exited" : text.GetString()!,
        JsonElement other => other.GetRawText(),
    };

    private static string Columns(string table) =>
        System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(table.Trim(), " +$", string.Empty, System.Text.RegularExpressions.RegexOptions.Multiline), " {2,}", "  ");

    private static IEnumerable<string> Strings(JsonElement root, string path) => Select(root, path).EnumerateArray().Select(e => e.GetString()!);
}
