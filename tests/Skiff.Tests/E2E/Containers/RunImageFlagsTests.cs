using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Containers;

/// <summary>run/create flags that depend on the image: --pull policies against a local registry, --user/--group-add names, hostile images.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class RunImageFlagsTests(RegistryFixture registry, ITestOutputHelper output)
{
    private static string Unique(string prefix, bool rootless) => $"{prefix}-{(rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..30];

    [Theory, RootAndRootless]
    public async Task Pull_policies_follow_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string reference = await TestImages.PushBusyboxAsync(registry.Registry, Unique("run/pull", rootless), skiff.Sandbox.Work, log: output);

        (await skiff.RunAsync("run", "--rm", "--pull", "never", reference, "true")).AssertError(125, $"{reference}: image not known");
        (await skiff.RunAsync("run", "--rm", "--pull", "sometimes", reference, "true")).AssertExitCode(125);

        ProcessResult first = (await skiff.RunAsync(["run", "--rm", "--tls-verify=false", reference, "echo", "pulled"], (string?)null, TimeSpan.FromMinutes(2))).AssertSuccess();
        Assert.Equal("pulled\n", first.Stdout);
        Assert.Contains($"Trying to pull {reference}...", first.Stderr);
        Assert.Contains("Writing manifest to image destination", first.Stderr);

        ProcessResult local = (await skiff.RunAsync("run", "--rm", "--pull", "never", reference, "echo", "local")).AssertSuccess();
        Assert.Equal("local\n", local.Stdout);
        Assert.DoesNotContain("Trying to pull", (await skiff.RunAsync("run", "--rm", reference, "true")).AssertSuccess().Stderr);

        ProcessResult always = (await skiff.RunAsync("run", "--rm", "--pull", "always", "--tls-verify=false", reference, "true")).AssertSuccess();
        Assert.Contains($"Trying to pull {reference}...", always.Stderr);
        ProcessResult quiet = (await skiff.RunAsync("create", "--pull=always", "-q", "--tls-verify=false", reference)).AssertSuccess();
        Assert.DoesNotContain("Trying", quiet.Stderr);
        Assert.Matches("^[0-9a-f]{64}$", quiet.Stdout.Trim());

        string missing = registry.Reference(Unique("run/absent", rootless));
        (await skiff.RunAsync("run", "--rm", "--tls-verify=false", missing, "true")).AssertExitCode(125);
        (await skiff.RunAsync("rm", "-a", "-f")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task User_and_group_names_come_from_the_image(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        OciImage image = TestImages.Busybox()
            .Layer(layer => layer.File("/etc/group", TestImages.Group + "wheel:x:10:app,root\nextra:x:2000:app\n"))
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, Unique("run/users", rootless), log: output);
        await skiff.PullInsecureAsync(reference);

        const string probe = "echo $(id -u) $(id -g) $(id -G) $HOME";
        Assert.Equal("1000 1000 1000 10 2000 /home/app\n", (await skiff.RunAsync("run", "--rm", "--user", "app", reference, "sh", "-c", probe)).AssertSuccess().Stdout);
        Assert.Equal("1000 1 1 10 4000 /home/app\n", (await skiff.RunAsync("run", "--rm", "-u", "app:daemon", "--group-add", "wheel", "--group-add", "4000", reference, "sh", "-c", probe)).AssertSuccess().Stdout);
        Assert.Equal("1234 0 0 /\n", (await skiff.RunAsync("run", "--rm", "-u", "1234", reference, "sh", "-c", probe)).AssertSuccess().Stdout);
        Assert.Equal("0 0 0 10 /root\n", (await skiff.RunAsync("run", "--rm", reference, "sh", "-c", probe)).AssertSuccess().Stdout);
        Assert.Equal("1000 /custom\n", (await skiff.RunAsync("run", "--rm", "-u", "app", "-e", "HOME=/custom", reference, "sh", "-c", "echo $(id -u) $HOME")).AssertSuccess().Stdout);
        (await skiff.RunAsync("run", "--rm", "--user", "nosuch", reference, "true")).AssertError(126, "unable to find user nosuch: no matching entries in passwd file");
        (await skiff.RunAsync("run", "--rm", "--user", "app:nosuch", reference, "true")).AssertError(126, "unable to find group nosuch");
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task The_images_stop_signal_is_the_default(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        OciImage image = TestImages.Busybox().Configure(config => config.StopSignal = "SIGINT").WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, Unique("run/stopsignal", rootless), log: output);
        await skiff.PullInsecureAsync(reference);

        (await skiff.RunAsync("run", "-d", "--name", "int", "--network", "none", reference, "sh", "-c", "trap 'echo got INT; exit 0' INT; echo ready; while true; do sleep 0.1; done")).AssertSuccess();
        await Poll.UntilAsync(async () => (await skiff.RunAsync("logs", "int")).Stdout.Contains("ready"));
        Assert.Equal("2\n", (await skiff.RunAsync("inspect", "--format", "{{.Config.StopSignal}}", "int")).AssertSuccess().Stdout);
        (await skiff.RunAsync("stop", "-t", "30", "int")).AssertSuccess();
        Assert.Equal("ready\ngot INT\n", (await skiff.RunAsync("logs", "int")).AssertSuccess().Stdout);
        Assert.Equal("0\n", (await skiff.RunAsync("inspect", "--format", "{{.State.ExitCode}}", "int")).AssertSuccess().Stdout);

        (await skiff.RunAsync("create", "--name", "kill", "--stop-signal", "SIGKILL", reference, "true")).AssertSuccess();
        Assert.Equal("9\n", (await skiff.RunAsync("inspect", "--format", "{{.Config.StopSignal}}", "kill")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rm", "int", "kill")).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Hostile_passwd_symlinks_are_not_followed_out_of_the_root(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        // A host file the image points at: an absolute and a ../ symlink must both stay inside the root.
        string hostFile = Path.Combine(skiff.Sandbox.Work, "host-passwd");
        File.WriteAllText(hostFile, "secret:x:4242:4242::/secret:/bin/sh\n");
        File.SetUnixFileMode(hostFile, (UnixFileMode)Convert.ToInt32("644", 8));
        var images = new Dictionary<string, Action<LayerBuilder>>
        {
            ["absolute"] = layer => layer.Symlink("/etc/passwd", hostFile),
            ["dotdot"] = layer => layer.Symlink("/etc/passwd", "../../../../../../../.." + hostFile),
            ["magic"] = layer => layer.Symlink("/etc/passwd", "/proc/1/root" + hostFile),
            ["devzero"] = layer => layer.CharacterDevice("/dev/zero", 1, 5).Symlink("/etc/passwd", "/dev/zero"),
            ["fifo"] = layer => layer.Fifo("/etc/passwd"),
        };
        foreach ((string name, Action<LayerBuilder> hostile) in images)
        {
            OciImage image = TestImages.Busybox().Layer(hostile).WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout-" + name));
            string reference = await TestImages.PushAsync(image, registry.Registry, Unique("run/" + name, rootless), log: output);
            await skiff.PullInsecureAsync(reference);

            // Refused before any runtime reads it inside the container (runc would hang on the FIFO).
            foreach (string user in new[] { "secret", "4242", "0" })
            {
                ProcessResult run = await skiff.RunAsync("run", "--rm", "--user", user, reference, "id", "-u");
                run.AssertError(125, "/etc/passwd in the container's root filesystem is");
                Assert.DoesNotContain("4242", run.Stdout);
            }
        }

        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Workdir_in_proc_self_fd_gives_no_host_descriptor(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        foreach (int fd in new[] { 3, 4, 5, 7, 8 })
        {
            OciImage image = TestImages.Busybox()
                .Configure(config => config.WorkingDir = $"/proc/self/fd/{fd}")
                .WriteLayout(Path.Combine(skiff.Sandbox.Work, $"layout-{fd}"));
            string reference = await TestImages.PushAsync(image, registry.Registry, Unique($"run/wd{fd}", rootless), log: output);
            await skiff.PullInsecureAsync(reference);
            foreach (string[] runtime in new[] { Array.Empty<string>(), ["--runtime", "skiff"] })
            {
                // Escaping would show the host's tree through the working directory: its ../../.. would be the host's /.
                ProcessResult run = await skiff.RunAsync(["run", "--rm", .. runtime, reference, "sh", "-c", "ls -a ../../../..; readlink /proc/self/cwd"]);
                output.WriteLine($"fd {fd} {string.Join(' ', runtime)}: exit {run.ExitCode}");
                Assert.DoesNotContain("work", run.Stdout);
                Assert.DoesNotContain("cgroup", run.Stdout);
                Assert.DoesNotContain(skiff.Sandbox.StorageRoot, run.Stdout);
                Assert.DoesNotContain("/sys/fs", run.Stdout);
                if (run.ExitCode == 0)
                {
                    // Started: the working directory must be a directory of the container.
                    Assert.StartsWith("/proc/", run.StdoutLines[^1]);
                }
            }
        }

        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }
}
