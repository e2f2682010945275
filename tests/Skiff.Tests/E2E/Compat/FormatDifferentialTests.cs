using System.Text.Json;
using System.Text.RegularExpressions;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Compat;

/// <summary>
/// <c>ps --format</c> and <c>inspect --format</c> through podman and skiff on containers made the same way:
/// the same text for the templates users script, the same JSON keys, the same template errors and exit codes.
/// </summary>
[Trait("Category", "E2E")]
public sealed partial class FormatDifferentialTests(ITestOutputHelper output)
{
    private static readonly string[] InspectTemplates =
    [
        "{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}",
        "{{index .Config.Labels \"app\"}}|{{.Config.Labels}}|{{.Config.Labels.app}}|{{.Config.Labels.nope}}|{{len .Config.Labels}}",
        "{{.State.Status}} {{.State.ExitCode}} {{.State.Running}} {{if .State.Running}}up{{else}}down{{end}}",
        "{{join .Config.Cmd \" \"}}|{{.Config.Cmd}}|{{.Args}}|{{.Path}}",
        "{{.HostConfig.Memory}} {{.HostConfig.AutoRemove}} {{.Config.StopSignal}} {{.Config.Tty}}",
        "{{printf \"%s\" .Name}} {{upper .Name}} {{title .State.Status}} {{len .Mounts}} {{.Name | printf \"%q\"}}",
        "{{.State.StartedAt}}|{{.State.StartedAt.Unix}}|{{.State.FinishedAt.IsZero}}|{{.Created.Format \"2006-01-02\"}}",
        "{{range .Mounts}}{{.Type}} {{.RW}} {{.Propagation}}{{end}}",
        "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}{{with .Config.Labels.app}}[{{.}}]{{end}}",
        "{{if and .Config.Labels (eq .State.Status \"created\")}}yes{{end}} {{or .Config.User \"root\"}}",
    ];

    private static readonly string[] PsTemplates =
    [
        "{{.Names}} {{.Image}} {{.Command}} {{.Status}}",
        "{{.Labels}}|{{.Labels.app}}|{{index .Labels \"x\"}}|{{.Mounts}}|{{.Networks}}|{{.Ports}}",
        "{{.Pid}} {{.Exited}} {{.ExitCode}} {{.ExitedAt}} {{.StartedAt}} {{.AutoRemove}} {{.IsInfra}}",
        "{{.Pod}}|{{.PodName}}|{{.Namespaces}}|{{.Cgroup}}|{{.User}}",
        "{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}{{len .Mounts}}{{upper .Names}}",
    ];

    [Theory, RootAndRootless]
    public async Task Templates_print_what_podman_prints(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string data = Path.Combine(skiff.Sandbox.Work, "data");
        Directory.CreateDirectory(data);
        (_, string name) = await CreateInBothAsync(skiff, podman, "--label", "app=web", "--label", "x=y", "-v", data + ":/data");

        foreach (string template in InspectTemplates)
        {
            string expected = (await podman.RunAsync("inspect", "--format", template, name)).AssertSuccess().Stdout;
            Assert.Equal(expected, (await skiff.RunAsync("inspect", "--format", template, name)).AssertSuccess().Stdout);
            Assert.Equal(expected, (await skiff.RunAsync("container", "inspect", "-f", template, name)).AssertSuccess().Stdout);
        }

        foreach (string template in PsTemplates)
        {
            string expected = (await podman.RunAsync("ps", "-a", "--format", template)).AssertSuccess().Stdout;
            Assert.Equal(expected, (await skiff.RunAsync("ps", "-a", "--format", template)).AssertSuccess().Stdout);
        }

        // The same column titles (podman pads with 2 spaces, skiff with docker's 3).
        string table = "table {{.ID}}\\t{{.Names}}\\t{{.Image}}\\t{{.ImageID}}\\t{{.CreatedAt}}\\t{{.CreatedHuman}}\\t{{.RunningFor}}\\t{{.Status}}\\t{{.Ports}}"
            + "\\t{{.Labels}}\\t{{.Mounts}}\\t{{.Networks}}\\t{{.Pid}}\\t{{.Pod}}\\t{{.PodName}}\\t{{.ExitCode}}\\t{{.ExitedAt}}\\t{{.StartedAt}}\\t{{.AutoRemove}}\\t{{.IsInfra}}\\t{{.Cgroup}}\\t{{.User}}";
        Assert.Equal(
            Titles((await podman.RunAsync("ps", "-a", "--format", table)).AssertSuccess().StdoutLines[0]),
            Titles((await skiff.RunAsync("ps", "-a", "--format", table)).AssertSuccess().StdoutLines[0]));
        Assert.Equal(
            Titles((await podman.RunAsync("ps", "-a")).AssertSuccess().StdoutLines[0]),
            Titles((await skiff.RunAsync("ps", "-a")).AssertSuccess().StdoutLines[0]));

        // --format json: podman's keys in podman's order, and the values scripts read.
        JsonElement podmanJson = JsonDocument.Parse((await podman.RunAsync("ps", "-a", "--format", "json")).AssertSuccess().Stdout).RootElement[0];
        JsonElement skiffJson = JsonDocument.Parse((await skiff.RunAsync("ps", "-a", "--format", "json")).AssertSuccess().Stdout).RootElement[0];
        Assert.Equal(podmanJson.EnumerateObject().Select(p => p.Name), skiffJson.EnumerateObject().Select(p => p.Name));
        foreach (string key in new[] { "AutoRemove", "Command", "Exited", "ExitedAt", "ExitCode", "IsInfra", "Labels", "Mounts", "Names", "Networks", "Pid", "Pod", "PodName", "Ports", "Size", "StartedAt", "State", "Status" })
        {
            Assert.True(podmanJson.GetProperty(key).GetRawText() == skiffJson.GetProperty(key).GetRawText(), $"{key}: podman {podmanJson.GetProperty(key)}, skiff {skiffJson.GetProperty(key)}");
        }

        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Template_errors_match_podman(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        (string image, string name) = await CreateInBothAsync(skiff, podman);

        string[][] commands =
        [
            ["ps", "-a", "--format", "{{.Nope}}"], ["ps", "-a", "--format", "{{nosuch .ID}}"], ["ps", "-a", "--format", "table {{.Created.Unix}}"],
            ["inspect", "--format", "{{.Nope}}", name], ["inspect", "--format", "{{.State.Nope}}", name], ["container", "inspect", "-f", "{{.Config.Nope}}", name],
            ["inspect", "--format", "{{nosuch .Name}}", name], ["image", "inspect", "--format", "{{.Nope}}", image], ["inspect", "-f", "{{.Nope}}", image],
        ];
        foreach (string[] command in commands)
        {
            ProcessResult expected = await podman.RunAsync(command);
            ProcessResult actual = await skiff.RunAsync(command);
            Assert.Equal(125, expected.ExitCode);
            actual.AssertExitCode(125);
            Assert.Equal(string.Empty, actual.Stdout);
            // podman runs every template inside {{range .}}, which moves line 1's columns right by 11.
            Assert.Equal(Column().Replace(expected.Stderr.Split('\n')[0], ":1:N:"), Column().Replace(actual.Stderr.Split('\n')[0], ":1:N:"));
        }

        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Inspect_finds_containers_and_images_as_podman_does(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        (string image, string name) = await CreateInBothAsync(skiff, podman);
        string id = (await skiff.RunAsync("inspect", "--format", "{{.Id}}", name)).AssertSuccess().Stdout.Trim();
        string imageId = (await skiff.RunAsync("images", "-q", "--no-trunc", image)).AssertSuccess().Stdout.Trim();

        // One template over a container and an image: podman's Go field names (.ID) reach both.
        Assert.Equal($"{id}\n{imageId}\n", (await skiff.RunAsync("inspect", "--format", "{{.ID}}", name, image)).AssertSuccess().Stdout);
        using (JsonDocument both = JsonDocument.Parse((await skiff.RunAsync("inspect", name, image)).AssertSuccess().Stdout))
        {
            Assert.Equal([name, null], both.RootElement.EnumerateArray().Select(e => e.TryGetProperty("Name", out JsonElement n) ? n.GetString() : null));
        }

        string[][] commands =
        [
            ["inspect", "--type", "container", "--format", "{{.ID}}", image], ["container", "inspect", "-f", "{{.ID}}", image],
            ["inspect", "--type", "image", "-f", "{{.ID}}", name],
        ];
        foreach (string[] command in commands)
        {
            ProcessResult expected = (await podman.RunAsync(command)).AssertExitCode(125);
            ProcessResult actual = (await skiff.RunAsync(command)).AssertExitCode(125);
            Assert.Equal(expected.Stderr.Trim(), actual.Stderr.Trim());
        }

        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    [Theory, RootAndRootless]
    public async Task Size_counts_the_writable_layer_as_podman_does(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        using var podman = new PodmanCli(skiff);
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string name = "s-" + Guid.NewGuid().ToString("N")[..8];
        // 1,500,000 bytes with a second hard link, a 4-byte symlink and a 3-byte file in a directory only uid 1000
        // can enter (rootless: a subordinate id, which only skiff's user namespace can read).
        const string script = "dd if=/dev/zero of=/big bs=1000 count=1500 2>/dev/null && ln /big /hard && ln -s /big /lnk && mkdir -p /d/e && echo hi > /d/e/f && chown -R 1000:1000 /d && chmod 700 /d";
        string[] run = ["--name", name, "--network", "none", image, "sh", "-c", script];
        (await podman.RunAsync(["--runtime", "runc", "run", .. PodmanCli.UlimitFlags, .. run])).AssertSuccess();
        (await skiff.RunAsync(["run", .. run])).AssertSuccess();
        string filter = $"name=^{name}$";

        JsonElement podmanSize = JsonDocument.Parse((await podman.RunAsync("ps", "-a", "--size", "--filter", filter, "--format", "json")).AssertSuccess().Stdout).RootElement[0].GetProperty("Size");
        JsonElement skiffSize = JsonDocument.Parse((await skiff.RunAsync("ps", "-a", "--size", "--filter", filter, "--format", "json")).AssertSuccess().Stdout).RootElement[0].GetProperty("Size");
        Assert.Equal(podmanSize.EnumerateObject().Select(p => p.Name), skiffSize.EnumerateObject().Select(p => p.Name));
        // Beside the files above each engine's layer holds what its runtime made: empty mount points, podman's /etc/mtab link (12).
        Assert.InRange(podmanSize.GetProperty("rwSize").GetInt64(), 1_500_007, 1_500_007 + 64);
        long rw = skiffSize.GetProperty("rwSize").GetInt64();
        Assert.InRange(rw, 1_500_007, 1_500_007 + 64);
        long rootFs = skiffSize.GetProperty("rootFsSize").GetInt64();
        Assert.InRange(rootFs, podmanSize.GetProperty("rootFsSize").GetInt64() - 100_000, podmanSize.GetProperty("rootFsSize").GetInt64() + 100_000);

        // The SIZE column and {{.Size}}: podman's text; without --size the field is empty.
        string expected = (await podman.RunAsync("ps", "-a", "--size", "--filter", filter, "--format", "{{.Size}}")).AssertSuccess().Stdout;
        Assert.Equal(expected, (await skiff.RunAsync("ps", "-a", "--size", "--filter", filter, "--format", "{{.Size}}")).AssertSuccess().Stdout);
        Assert.Equal("1.5MB (virtual 1.98MB)\n", expected);
        Assert.Equal(["SIZE", "1.5MB (virtual 1.98MB)"], (await skiff.RunAsync("ps", "-a", "-s", "--filter", filter)).AssertSuccess().StdoutLines.Select(l => MultipleSpaces().Split(l.Trim())[^1]));
        Assert.Equal("\n", (await skiff.RunAsync("ps", "-a", "--filter", filter, "--format", "{{.Size}}")).AssertSuccess().Stdout);

        // inspect --size: podman's SizeRw and SizeRootFs, which are not there without it.
        Assert.Equal($"{rw} {rootFs}\n", (await skiff.RunAsync("inspect", "--size", "--format", "{{.SizeRw}} {{.SizeRootFs}}", name)).AssertSuccess().Stdout);
        using (JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("container", "inspect", "-s", name)).AssertSuccess().Stdout))
        {
            Assert.Equal(rw, inspect.RootElement[0].GetProperty("SizeRw").GetInt64());
        }

        using (JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("inspect", name)).AssertSuccess().Stdout))
        {
            Assert.False(inspect.RootElement[0].TryGetProperty("SizeRw", out _));
        }

        (await skiff.RunAsync("rm", name)).AssertSuccess();
    }

    /// <summary>The same busybox image in both stores and a container made from it with the same flags (not started).</summary>
    private static async Task<(string Image, string Name)> CreateInBothAsync(SkiffCli skiff, PodmanCli podman, params string[] flags)
    {
        string image = await skiff.ImportBusyboxAsync("localhost/busybox:latest");
        await podman.ImportBusyboxAsync(image);
        string name = "f-" + Guid.NewGuid().ToString("N")[..8];
        string[] create = ["--name", name, "--network", "none", .. flags, image, "sleep", "100"];
        (await podman.RunAsync(["--runtime", "runc", "create", .. PodmanCli.UlimitFlags, .. create])).AssertSuccess();
        (await skiff.RunAsync(["create", .. create])).AssertSuccess();
        return (image, name);
    }

    private static string[] Titles(string header) => MultipleSpaces().Split(header.Trim());

    [GeneratedRegex(":1:[0-9]+:")]
    private static partial Regex Column();

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();
}
