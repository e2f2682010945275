using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// podman 4.3's other ways to name a verb's containers, with the published binary as root and rootless:
/// --latest, --cidfile, --filter, start --all/--filter/--sig-proxy, and exec without a command.
/// </summary>
[Trait("Category", "E2E")]
public sealed class TargetFlagsTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Latest_acts_on_the_container_created_last(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);

        // An empty store: podman's error on every verb (rm's missing-container status 1).
        (await skiff.RunAsync("stop", "-l")).AssertError(125, "no such container");
        (await skiff.RunAsync("logs", "--latest")).AssertError(125, "no such container");
        (await skiff.RunAsync("rm", "-l")).AssertError(1, "no such container");
        ProcessResult none = (await skiff.RunAsync("inspect", "-l")).AssertError(125, "Error: inspecting object: no containers to inspect: no such container");
        Assert.Equal("[]\n", none.Stdout);

        string first = (await skiff.RunAsync("create", "--name", "first", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess().Stdout.Trim();
        string last = (await skiff.RunAsync("create", "--name", "last", "--rootfs", rootfs, "sh", "-c", "echo started; exec sleep 1000")).AssertSuccess().Stdout.Trim();

        // podman prints the full id of a container chosen by -l.
        Assert.Equal(last + "\n", (await skiff.RunAsync("start", "-l")).AssertSuccess().Stdout);
        Assert.Equal("running", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "last")).AssertSuccess().Stdout.Trim());
        Assert.Equal("created", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "first")).AssertSuccess().Stdout.Trim());
        Assert.Equal("last\n", (await skiff.RunAsync("inspect", "-l", "--format", "{{.Name}}")).AssertSuccess().Stdout);
        Assert.Equal("last\n", (await skiff.RunAsync("container", "inspect", "-l", "--format", "{{.Name}}")).AssertSuccess().Stdout);
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "-l")).Stdout == "started\n");

        // exec and top: with -l every argument is the command's.
        Assert.Equal("a b\n", (await skiff.RunAsync("exec", "-l", "sh", "-c", "echo a b")).AssertSuccess().Stdout);
        Assert.Contains("sleep", (await skiff.RunAsync("top", "-l", "pid", "args")).AssertSuccess().Stdout);
        (await skiff.RunAsync("port", "-l")).AssertSuccess();

        // Names with -l are podman's errors.
        (await skiff.RunAsync("stop", "-l", "first")).AssertError(125, "Error: --latest and containers cannot be used together");
        (await skiff.RunAsync("logs", "-l", "first")).AssertError(125, "Error: --latest and containers cannot be used together");
        (await skiff.RunAsync("inspect", "-l", "first")).AssertError(125, "Error: --latest and arguments cannot be used together");
        (await skiff.RunAsync("stop", "-l", "-a")).AssertError(125, "Error: --all and --latest cannot be used together");
        (await skiff.RunAsync("wait")).AssertError(125, "Error: \"skiff wait\" requires a name, id, or the \"--latest\" flag");

        Assert.Equal(last + "\n", (await skiff.RunAsync("kill", "-l")).AssertSuccess().Stdout);
        Assert.Equal("137\n", (await skiff.RunAsync("wait", "-l")).AssertSuccess().Stdout);
        Assert.Equal(last + "\n", (await skiff.RunAsync("rm", "-l")).AssertSuccess().Stdout);

        // first is now the latest.
        Assert.Equal(first + "\n", (await skiff.RunAsync("init", "-l")).AssertSuccess().Stdout);
        Assert.Equal(first + "\n", (await skiff.RunAsync("rm", "-f", "--latest")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Cidfile_and_filter_choose_the_containers_of_stop_rm_restart_and_kill(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string cidFile = Path.Combine(skiff.Sandbox.Work, "k1.cid");
        string k1 = (await skiff.RunAsync("run", "-d", "--cidfile", cidFile, "--name", "k1", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess().Stdout.Trim();
        string k2 = (await skiff.RunAsync("run", "-d", "--name", "k2", "--label", "app=x", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess().Stdout.Trim();

        Assert.Equal(k1 + "\n", (await skiff.RunAsync("stop", "-t", "0", "--cidfile", cidFile)).AssertSuccess().Stdout);
        Assert.Equal("exited", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "k1")).AssertSuccess().Stdout.Trim());
        Assert.Equal("running", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "k2")).AssertSuccess().Stdout.Trim());

        string missing = Path.Combine(skiff.Sandbox.Work, "nosuch.cid");
        (await skiff.RunAsync("stop", "--cidfile", missing)).AssertError(125, $"Error: reading CIDFile: open {missing}: no such file or directory");
        (await skiff.RunAsync("rm", "--ignore", "--cidfile", missing)).AssertSuccess();
        (await skiff.RunAsync("stop", "--cidfile", cidFile, "k2")).AssertError(125, "Error: no arguments are needed with --latest or --cidfile");
        (await skiff.RunAsync("kill", "--cidfile", cidFile, "-a")).AssertError(125, "Error: --all, --latest, and --cidfile cannot be used together");
        (await skiff.RunAsync("stop", "-a", "k2")).AssertError(125, "Error: no arguments are needed with --all");
        (await skiff.RunAsync("stop")).AssertError(125, "Error: you must provide at least one name or id");

        // A filter takes ps's keys, matches containers in any state, and takes no names.
        Assert.Equal(k2 + "\n", (await skiff.RunAsync("restart", "-t", "0", "--filter", "label=app=x")).AssertSuccess().Stdout);
        Assert.Equal(k1 + "\n", (await skiff.RunAsync("start", "--filter", "name=k1")).AssertSuccess().Stdout);
        (await skiff.RunAsync("stop", "--filter", "name=k", "k1")).AssertError(125, "Error: --filter takes no arguments");
        (await skiff.RunAsync("stop", "--filter", "bogus=1")).AssertError(125, "invalid filter \"bogus\"");
        (await skiff.RunAsync("rm", "--filter", "status=bogus")).AssertError(125, "unknown container state: bogus");
        string[] stopped = (await skiff.RunAsync("stop", "-t", "0", "-f", "name=^k")).AssertSuccess().StdoutLines.Order().ToArray();
        Assert.Equal(new[] { k1, k2 }.Order(), stopped);

        // start --all starts every container; --sig-proxy needs --attach.
        (await skiff.RunAsync("start")).AssertError(125, "Error: start requires at least one argument");
        (await skiff.RunAsync("start", "--all", "k1")).AssertError(125, "Error: either start all containers or the container(s) provided in the arguments");
        (await skiff.RunAsync("start", "--sig-proxy", "k1")).AssertError(125, "Error: you cannot use sig-proxy without --attach: invalid argument");
        Assert.Equal(new[] { k1, k2 }.Order(), (await skiff.RunAsync("start", "--all")).AssertSuccess().StdoutLines.Order());
        Assert.Equal("running running", (await skiff.RunAsync("ps", "--format", "{{.State}}")).AssertSuccess().Stdout.Replace('\n', ' ').Trim());

        // exec without a command: podman's exec session error, 255 (125 with -d).
        (await skiff.RunAsync("exec", "k1")).AssertError(255, "Error: must provide a non-empty command to start an exec session: invalid argument");
        (await skiff.RunAsync("exec", "-d", "k1")).AssertError(125, "must provide a non-empty command");

        Assert.Equal(k1 + "\n", (await skiff.RunAsync("kill", "--cidfile", cidFile)).AssertSuccess().Stdout);
        Assert.Equal("137\n", (await skiff.RunAsync("wait", "k1")).AssertSuccess().Stdout);
        string[] removed = (await skiff.RunAsync("rm", "-f", "-t", "0", "--filter", "name=k")).AssertSuccess().StdoutLines.Order().ToArray();
        Assert.Equal(new[] { k1, k2 }.Order(), removed);
        Assert.Equal(string.Empty, (await skiff.RunAsync("ps", "-aq")).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Wait_conditions_and_sorted_listings(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("create", "--name", "w1", "--rootfs", rootfs, "sh", "-c", "sleep 1; exit 3")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "w0", "--rootfs", rootfs, "true")).AssertSuccess();

        // A state that is not an end prints -1, as podman; an end prints the exit code.
        Assert.Equal("-1\n", (await skiff.RunAsync("wait", "--condition", "created", "w1")).AssertSuccess().Stdout);
        (await skiff.RunAsync("start", "w1")).AssertSuccess();
        Assert.Equal("-1\n", (await skiff.RunAsync("wait", "--condition", "running", "--condition", "exited", "--interval", "10ms", "w1")).AssertSuccess().Stdout);
        Assert.Equal("3\n", (await skiff.RunAsync("wait", "--condition", "stopped,paused", "-i", "20", "w1")).AssertSuccess().Stdout);
        (await skiff.RunAsync("wait", "--condition", "bogus", "w1")).AssertError(125, "Error: unknown container state: bogus: invalid argument");
        (await skiff.RunAsync("wait", "--interval", "bogus", "w1")).AssertError(125, "Error: time: invalid duration \"bogus\"");

        // ps --sort: podman's keys; created oldest first, runningfor newest first.
        Assert.Equal("w1 w0", string.Join(' ', (await skiff.RunAsync("ps", "-a", "--sort", "created", "--format", "{{.Names}}")).AssertSuccess().StdoutLines));
        Assert.Equal("w0 w1", string.Join(' ', (await skiff.RunAsync("ps", "-a", "--sort", "runningfor", "--format", "{{.Names}}")).AssertSuccess().StdoutLines));
        Assert.Equal("w0 w1", string.Join(' ', (await skiff.RunAsync("ps", "-a", "--sort", "names", "--format", "{{.Names}}")).AssertSuccess().StdoutLines));
        Assert.Equal("w0 w1", string.Join(' ', (await skiff.RunAsync("ps", "-a", "--sort", "status", "--format", "{{.Names}}")).AssertSuccess().StdoutLines));
        (await skiff.RunAsync("ps", "--sort", "bogus")).AssertError(125, "Error: invalid argument \"bogus\" for \"--sort\" flag");

        // stats of containers that do not run: podman's zeros, created or exited.
        Assert.Equal(
            "w0 0.00% 0B / 0B 0.00% 0\nw1 0.00% 0B / 0B 0.00% 0",
            string.Join('\n', (await skiff.RunAsync("stats", "--no-stream", "--format", "{{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.MemPerc}} {{.PIDs}}", "w0", "w1")).AssertSuccess().StdoutLines));

        // images --sort; rmi --ignore leaves out images that do not exist.
        await skiff.ImportBusyboxAsync("localhost/zeta:1");
        (await skiff.RunAsync("tag", "localhost/zeta:1", "localhost/alpha:2")).AssertSuccess();
        Assert.Equal("localhost/alpha:2 localhost/zeta:1", string.Join(' ', (await skiff.RunAsync("images", "--sort", "repository", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().StdoutLines));
        Assert.Equal("localhost/zeta:1 localhost/alpha:2", string.Join(' ', (await skiff.RunAsync("images", "--sort", "tag", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().StdoutLines));
        (await skiff.RunAsync("images", "--sort", "bogus")).AssertError(125, "Error: \"bogus\" is not a valid field for sorting. Choose from: created, id, repository, size, tag");
        (await skiff.RunAsync("rmi", "nosuch")).AssertError(1, "nosuch");
        ProcessResult ignored = (await skiff.RunAsync("rmi", "--ignore", "--no-prune", "nosuch", "localhost/alpha:2")).AssertSuccess();
        Assert.Equal("Untagged: localhost/alpha:2\n", ignored.Stdout);
        Assert.Equal(string.Empty, ignored.Stderr);
        (await skiff.RunAsync("rm", "-a")).AssertSuccess();
    }
}
