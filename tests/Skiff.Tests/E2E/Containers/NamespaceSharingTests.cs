using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>--pid, --ipc and --uts: the host's namespaces, none, and another container's, with podman's dependency rules.</summary>
[Trait("Category", "E2E")]
public sealed class NamespaceSharingTests(ITestOutputHelper output)
{
    private const string Namespaces = "for t in pid ipc uts; do readlink /proc/self/ns/$t; done";

    [Theory, RootAndRootless]
    public async Task A_container_joins_the_pid_ipc_and_uts_namespaces_of_another(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string web = (await skiff.RunAsync("run", "-d", "--name", "web", "--hostname", "webhost", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess().Stdout.Trim();
        string inWeb = (await skiff.RunAsync("exec", "web", "sh", "-c", Namespaces)).AssertSuccess().Stdout;

        ProcessResult joined = (await skiff.RunAsync(
            "run", "--rm", "--pid", "container:web", "--ipc", "container:web", "--uts", "container:" + web[..12], "--rootfs", rootfs,
            "sh", "-c", $"{Namespaces}; hostname; cat /etc/hostname; echo $HOSTNAME; ps -o args; echo from-joiner > /dev/shm/note")).AssertSuccess();
        Assert.Equal(inWeb, string.Join('\n', joined.StdoutLines.Take(3)) + "\n");
        Assert.Equal(["webhost", "webhost", "webhost"], joined.StdoutLines.Skip(3).Take(3));
        Assert.Contains("sleep 1000", joined.StdoutLines);
        // The same /dev/shm, not only the same ipc namespace.
        Assert.Equal("from-joiner\n", (await skiff.RunAsync("exec", "web", "cat", "/dev/shm/note")).AssertSuccess().Stdout);

        string id = (await skiff.RunAsync("create", "--pid", "container:web", "--ipc", "container:web", "--uts", "container:web", "--rootfs", rootfs, "true")).AssertSuccess().Stdout.Trim();
        Assert.Equal(
            $"container:{web} container:{web} container:{web}\n",
            (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}", id)).AssertSuccess().Stdout);
        Assert.Equal(
            "private shareable private\n",
            (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}", "web")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "-f", id, "web")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Host_and_none_modes(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        // The host's pids: this test's own process is there, and pid 1 is the host's init.
        string pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        ProcessResult host = (await skiff.RunAsync(
            "run", "--rm", "--pid", "host", "--ipc", "host", "--uts", "host", "--rootfs", rootfs,
            "sh", "-c", $"test -d /proc/{pid} && echo sees-host-pid; cat /proc/1/comm; hostname; {Namespaces}")).AssertSuccess();
        Assert.Equal("sees-host-pid", host.StdoutLines[0]);
        Assert.Equal(File.ReadAllText("/proc/1/comm").Trim(), host.StdoutLines[1]);
        Assert.Equal(File.ReadAllText("/proc/sys/kernel/hostname").Trim(), host.StdoutLines[2]);
        string[] own = [.. new[] { "pid", "ipc", "uts" }.Select(t => new FileInfo($"/proc/self/ns/{t}").LinkTarget!)];
        Assert.Equal(own, host.StdoutLines.Skip(3));

        ProcessResult none = (await skiff.RunAsync("run", "--rm", "--ipc", "none", "--rootfs", rootfs, "sh", "-c", "grep -c ' /dev/shm ' /proc/mounts; true")).AssertSuccess();
        Assert.Equal("0\n", none.Stdout);
        Assert.Equal("none\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.IpcMode}}",
            (await skiff.RunAsync("create", "--ipc", "none", "--rootfs", rootfs, "true")).AssertSuccess().Stdout.Trim())).AssertSuccess().Stdout);
    }

    [Theory, RootAndRootless]
    public async Task Refuses_what_podman_refuses(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        (await skiff.RunAsync("run", "--rm", "--pid", "container:nope", "--rootfs", rootfs, "true"))
            .AssertError(125, "looking up container to share pid namespace with: no container with name or ID \"nope\" found: no such container");
        (await skiff.RunAsync("run", "--rm", "--ipc", "bogus", "--rootfs", rootfs, "true")).AssertError(125, "unrecognized namespace mode bogus passed");
        (await skiff.RunAsync("run", "--rm", "--uts", "container:", "--rootfs", rootfs, "true")).AssertError(125, "namespace mode container requires a value");
        (await skiff.RunAsync("run", "--rm", "--pid", "ns:/no/such/ns", "--rootfs", rootfs, "true")).AssertError(125, "cannot find specified PID namespace path");
        (await skiff.RunAsync("create", "--name", "private", "--ipc", "private", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess();
        (await skiff.RunAsync("create", "--ipc", "container:private", "--rootfs", rootfs, "true")).AssertError(125, "non-shareable IPC");
        (await skiff.RunAsync("create", "--uts", "container:private", "--hostname", "h", "--rootfs", rootfs, "true")).AssertError(125, "cannot set hostname");
        (await skiff.RunAsync("create", "--ipc", "host", "--sysctl", "kernel.shmmax=1000", "--rootfs", rootfs, "true")).AssertError(125, "kernel.shmmax");
        Assert.Equal(["private"], (await skiff.RunAsync("ps", "-a", "--format", "{{.Names}}")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task A_dependency_is_started_first_and_removed_last(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string db = (await skiff.RunAsync("create", "--name", "db", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess().Stdout.Trim();
        string app = (await skiff.RunAsync("create", "--name", "app", "--pid", "container:db", "--rootfs", rootfs, "sleep", "1000")).AssertSuccess().Stdout.Trim();

        // As podman, starting the dependent starts what it depends on.
        (await skiff.RunAsync("start", "app")).AssertSuccess();
        Assert.Equal("running running\n", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "db", "app")).AssertSuccess().Stdout.Replace("\n", " ").TrimEnd() + "\n");
        Assert.Contains("sleep 1000", (await skiff.RunAsync("exec", "db", "ps", "-o", "args")).AssertSuccess().StdoutLines.Where(l => l == "sleep 1000").Skip(1));

        // Stopped under it, the dependent is started again with the dependency's new process.
        (await skiff.RunAsync("stop", "-t", "0", "db")).AssertSuccess();
        (await skiff.RunAsync("stop", "-t", "0", "app")).AssertSuccess();
        (await skiff.RunAsync("start", "app")).AssertSuccess();
        Assert.Equal(
            (await skiff.RunAsync("exec", "db", "readlink", "/proc/self/ns/pid")).AssertSuccess().Stdout,
            (await skiff.RunAsync("exec", "app", "readlink", "/proc/self/ns/pid")).AssertSuccess().Stdout);

        // podman's refusals: a running one first, then even with -f while a dependent exists.
        (await skiff.RunAsync("rm", "db")).AssertExitCode(2);
        (await skiff.RunAsync("rm", "-f", "db")).AssertError(125, $"container {db} has dependent containers which must be removed before it: {app}");
        Assert.Equal("running\n", (await skiff.RunAsync("inspect", "--format", "{{.State.Status}}", "db")).AssertSuccess().Stdout);
        ProcessResult removed = (await skiff.RunAsync("rm", "-f", "--depend", "db")).AssertSuccess();
        Assert.Equal([app, db], removed.StdoutLines);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task A_sidecar_reaches_the_loopback_of_the_container_whose_network_it_joins(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string web = (await skiff.RunAsync(
            "run", "-d", "--name", "web", "--add-host", "db.example:10.1.2.3", "--rootfs", rootfs,
            "sh", "-c", "mkdir -p /tmp/www && echo hello > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /tmp/www")).AssertSuccess().Stdout.Trim();

        // The server may take a moment to listen: the sidecar retries, as a real one would.
        ProcessResult fetched = (await skiff.RunAsync(
            "run", "--rm", "--network", "container:web", "--rootfs", rootfs,
            "sh", "-c", "for i in $(seq 100); do wget -q -O - http://127.0.0.1:8080/ && break; sleep 0.1; done; readlink /proc/self/ns/net; grep db.example /etc/hosts")).AssertSuccess();
        Assert.Equal("hello", fetched.StdoutLines[0]);
        Assert.Equal((await skiff.RunAsync("exec", "web", "readlink", "/proc/self/ns/net")).AssertSuccess().Stdout.Trim(), fetched.StdoutLines[1]);
        // web's own /etc/hosts, with its --add-host entry.
        Assert.StartsWith("10.1.2.3", fetched.StdoutLines[2], StringComparison.Ordinal);

        string id = (await skiff.RunAsync("create", "--network", "container:web", "--rootfs", rootfs, "true")).AssertSuccess().Stdout.Trim();
        Assert.Equal($"container:{web}\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.NetworkMode}}", id)).AssertSuccess().Stdout);

        (await skiff.RunAsync("run", "--rm", "--network", "container:web", "-p", "8081:80", "--rootfs", rootfs, "true")).AssertError(125, "cannot publish ports with --network container:");
        (await skiff.RunAsync("run", "--rm", "--network", "container:web", "--dns", "1.1.1.1", "--rootfs", rootfs, "true")).AssertError(125, "conflicting options: dns and the network mode: container");
        (await skiff.RunAsync("run", "--rm", "--network", "container:web", "--add-host", "a:1.2.3.4", "--rootfs", rootfs, "true"))
            .AssertError(125, "cannot set extra host entries when the container is joined to another containers network namespace");
        (await skiff.RunAsync("run", "--rm", "--network", "container:nope", "--rootfs", rootfs, "true"))
            .AssertError(125, "looking up container to share net namespace with: no container with name or ID \"nope\" found");
        (await skiff.RunAsync("rm", "-f", "--depend", "web")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task A_container_joins_the_user_namespace_of_another(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string rootfs = BusyboxRootfs.Create(skiff.Sandbox);
        string[] own = rootless ? ["--userns", "keep-id"] : ["--uidmap", "0:200000:65536"];
        if (!rootless)
        {
            // A --rootfs directory is used as it is: its owner must be the namespace's root.
            (await skiff.ExecAsync("chown", "-R", "200000:200000", rootfs)).AssertSuccess();
        }

        (await skiff.RunAsync(["run", "-d", "--name", "mapped", .. own, "--rootfs", rootfs, "sleep", "1000"])).AssertSuccess();
        string inMapped = (await skiff.RunAsync("exec", "mapped", "sh", "-c", "readlink /proc/self/ns/user; cat /proc/self/uid_map")).AssertSuccess().Stdout;

        ProcessResult joined = (await skiff.RunAsync("run", "--rm", "--userns", "container:mapped", "--rootfs", rootfs, "sh", "-c", "readlink /proc/self/ns/user; cat /proc/self/uid_map; id -u")).AssertSuccess();
        Assert.Equal(inMapped, string.Join('\n', joined.StdoutLines.SkipLast(1)) + "\n");
        Assert.Equal("0", joined.StdoutLines[^1]);
        string id = (await skiff.RunAsync("create", "--userns", "container:mapped", "--rootfs", rootfs, "true")).AssertSuccess().Stdout.Trim();
        string mapped = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", "mapped")).AssertSuccess().Stdout.Trim();
        Assert.Equal($"container:{mapped}\n", (await skiff.RunAsync("inspect", "--format", "{{.HostConfig.UsernsMode}}", id)).AssertSuccess().Stdout);
        (await skiff.RunAsync("run", "--rm", "--userns", "container:nope", "--rootfs", rootfs, "true")).AssertError(125, "no container with name or ID \"nope\"");
        (await skiff.RunAsync("rm", "-f", "--depend", "mapped")).AssertSuccess();
    }
}
