using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Images;

/// <summary>The local image verbs on the published binary, as root and rootless: import, images, inspect, history, tag, rmi, save, load.</summary>
[Trait("Category", "E2E")]
public sealed class ImageVerbsTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Imports_lists_inspects_tags_and_removes(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        ProcessResult table = (await skiff.RunAsync("images")).AssertSuccess();
        Assert.StartsWith("REPOSITORY          TAG       IMAGE ID       CREATED", table.StdoutLines[0]);
        Assert.Matches(@"^localhost/busybox   latest    [0-9a-f]{12}   ", table.StdoutLines[1]);

        string id = (await skiff.RunAsync("images", "-q")).AssertSuccess().Stdout.Trim();
        Assert.Matches("^[0-9a-f]{12}$", id);

        ProcessResult inspect = (await skiff.RunAsync("image", "inspect", "busybox")).AssertSuccess();
        using (JsonDocument json = JsonDocument.Parse(inspect.Stdout))
        {
            JsonElement image = json.RootElement[0];
            Assert.StartsWith("sha256:" + id, image.GetProperty("Id").GetString());
            Assert.Equal(["localhost/busybox:latest"], image.GetProperty("RepoTags").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal("linux", image.GetProperty("Os").GetString());
            Assert.Equal("layers", image.GetProperty("RootFS").GetProperty("Type").GetString());
            Assert.Single(image.GetProperty("RootFS").GetProperty("Layers").EnumerateArray());
            Assert.True(image.GetProperty("Size").GetInt64() > 100_000);
        }

        Assert.Equal("linux [] busybox", (await skiff.RunAsync("image", "inspect", "--format", "{{.Os}} {{.Config.Entrypoint}} {{range .RepoTags}}{{if eq . \"localhost/busybox:latest\"}}busybox{{end}}{{end}}", id)).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("tag", "busybox", "other:1")).AssertSuccess();
        Assert.Equal(
            ["localhost/busybox:latest", "localhost/other:1"],
            (await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));
        Assert.Equal(["localhost/other:1"], (await skiff.RunAsync("images", "--filter", "reference=other")).AssertSuccess().StdoutLines.Skip(1).Select(l => l.Split("   ")[0].Trim() + ":1"));

        ProcessResult history = (await skiff.RunAsync("history", "other:1")).AssertSuccess();
        Assert.StartsWith("IMAGE", history.StdoutLines[0]);
        Assert.Contains(id, history.StdoutLines[1]);

        // A name of a multi-named image only untags; the last name deletes.
        Assert.Equal(["Untagged: localhost/busybox:latest"], (await skiff.RunAsync("rmi", "busybox")).AssertSuccess().StdoutLines);
        ProcessResult removed = (await skiff.RunAsync("rmi", "other:1")).AssertSuccess();
        Assert.Equal("Untagged: localhost/other:1", removed.StdoutLines[0]);
        Assert.StartsWith("Deleted: sha256:" + id, removed.StdoutLines[1]);
        Assert.Empty((await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Untag_takes_names_off_and_keeps_the_image(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string id = (await skiff.RunAsync("images", "-q")).AssertSuccess().Stdout.Trim();
        (await skiff.RunAsync("tag", "busybox", "two", "three:3")).AssertSuccess();
        string[] Names(ProcessResult r) => [.. r.AssertSuccess().StdoutLines.Order(StringComparer.Ordinal)];

        // A name the image does not have changes nothing (podman checks them all first).
        (await skiff.RunAsync("untag", "busybox", "three:3", "nope")).AssertError(125, "localhost/nope:latest: tag not known");
        Assert.Equal(["localhost/busybox:latest", "localhost/three:3", "localhost/two:latest"], Names(await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")));

        (await skiff.RunAsync("image", "untag", "busybox", "three:3")).AssertSuccess();
        Assert.Equal(["localhost/busybox:latest", "localhost/two:latest"], Names(await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")));

        // No names: all of them; the image stays, nameless.
        (await skiff.RunAsync("untag", "two")).AssertSuccess();
        Assert.Equal(["<none>:<none>"], Names(await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")));
        Assert.Equal(id, (await skiff.RunAsync("images", "-q")).AssertSuccess().Stdout.Trim());
        (await skiff.RunAsync("untag", "busybox")).AssertError(125, "busybox: image not known");
    }

    [Theory, RootAndRootless]
    public async Task Exists_answers_0_or_1_for_each_kind_of_object(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        (await skiff.RunAsync("volume", "create", "vol")).AssertSuccess();
        (await skiff.RunAsync("network", "create", "net")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "ctr", "busybox", "true")).AssertSuccess();

        foreach (string[] present in new[] { new[] { "image", "busybox" }, ["volume", "vol"], ["network", "net"], ["container", "ctr"] })
        {
            ProcessResult yes = (await skiff.RunAsync(present[0], "exists", present[1])).AssertSuccess();
            Assert.Equal("", yes.Stdout + yes.Stderr);
            ProcessResult no = await skiff.RunAsync(present[0], "exists", "missing" + present[0]);
            no.AssertExitCode(1);
            Assert.Equal("", no.Stdout + no.Stderr);
        }
    }

    [Theory, RootAndRootless]
    public async Task Image_prune_until_a_duration_ago_removes_only_the_older_images(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("old");
        await Task.Delay(TimeSpan.FromSeconds(4));
        await skiff.ImportBusyboxAsync("fresh");
        string old = (await skiff.RunAsync("images", "-q", "--no-trunc", "old")).AssertSuccess().Stdout.Trim()["sha256:".Length..];

        // An image's time is its configuration's creation (import: now), as podman's.
        Assert.Equal(["localhost/old:latest"], (await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        Assert.Equal([old], (await skiff.RunAsync("image", "prune", "-a", "-f", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        Assert.Equal(["localhost/fresh:latest"], (await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("image", "prune", "-a", "-f", "--filter", "until=yesterday")).AssertError(125, "invalid until filter \"yesterday\"");
        Assert.Single((await skiff.RunAsync("image", "prune", "-a", "-f", "--filter", "until=10m", "--filter", "until=-1m")).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task History_shows_each_layers_uncompressed_size(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        // A megabyte of zeros gzips to about a kilobyte: the stored blob size would be far off.
        OciImage image = TestImages.Busybox()
            .Layer(layer => layer.File("/zeros", new byte[1 << 20]))
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string archive = Path.Combine(skiff.Sandbox.Work, "image.tar");
        (await skiff.ExecAsync("tar", "-cf", archive, "-C", image.LayoutDirectory, ".")).AssertSuccess();
        (await skiff.RunAsync("load", "-q", "-i", archive)).AssertSuccess();
        string id = (await skiff.RunAsync("images", "-q")).AssertSuccess().Stdout.Trim();

        IReadOnlyList<string> sizes = (await skiff.RunAsync("history", "--human=false", "--format", "{{.Size}}", id)).AssertSuccess().StdoutLines;
        Assert.Equal(2, sizes.Count);
        Assert.Equal((1L << 20).ToString(System.Globalization.CultureInfo.InvariantCulture), sizes[0]);
        Assert.True(long.Parse(sizes[1], System.Globalization.CultureInfo.InvariantCulture) > 500_000, $"busybox layer size {sizes[1]}");

        // The image's SIZE is the sum of its layers', as docker's is.
        long total = (await skiff.RunAsync("image", "inspect", "--format", "{{.Size}}", id)).AssertSuccess().Stdout.Trim() is var text
            ? long.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
        Assert.Equal(total, sizes.Sum(s => long.Parse(s, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("1.05MB", (await skiff.RunAsync("history", "--format", "{{.Size}}", id)).AssertSuccess().StdoutLines[0]);
    }

    [Theory, RootAndRootless]
    public async Task Saves_and_loads_both_archive_formats(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox:1");
        string id = (await skiff.RunAsync("images", "-q", "--no-trunc")).AssertSuccess().Stdout.Trim();
        string docker = Path.Combine(skiff.Sandbox.Work, "busybox-docker.tar");
        string oci = Path.Combine(skiff.Sandbox.Work, "busybox-oci.tar");
        (await skiff.RunAsync("save", "-o", docker, "busybox:1")).AssertSuccess();
        (await skiff.RunAsync("save", "--format", "oci-archive", "-o", oci, "busybox:1")).AssertSuccess();

        foreach (string archive in new[] { docker, oci })
        {
            (await skiff.RunAsync("rmi", "busybox:1")).AssertSuccess();
            Assert.Equal(["Loaded image: localhost/busybox:1"], (await skiff.RunAsync("load", "-i", archive)).AssertSuccess().StdoutLines);
            Assert.Equal(id, (await skiff.RunAsync("images", "-q", "--no-trunc")).AssertSuccess().Stdout.Trim());
        }

        // From standard input, compressed.
        (await skiff.RunAsync("rmi", "busybox:1")).AssertSuccess();
        ProcessResult gz = (await skiff.ExecAsync("sh", "-c", $"gzip -c {docker} > {docker}.gz")).AssertSuccess();
        Assert.Equal(0, gz.ExitCode);
        Assert.Equal(["Loaded image: localhost/busybox:1"], (await skiff.RunAsync(["load"], await File.ReadAllBytesAsync(docker + ".gz"))).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Multi_image_archive_holds_each_image_and_load_restores_them_all(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox:1");
        (await skiff.RunAsync("run", "--name", "changed", "busybox:1", "touch", "/added")).AssertSuccess();
        (await skiff.RunAsync("commit", "-q", "changed", "other:2")).AssertSuccess();
        (await skiff.RunAsync("rm", "changed")).AssertSuccess();
        string first = (await skiff.RunAsync("image", "inspect", "-f", "{{.Id}}", "busybox:1")).AssertSuccess().Stdout.Trim();
        string second = (await skiff.RunAsync("image", "inspect", "-f", "{{.Id}}", "other:2")).AssertSuccess().Stdout.Trim();
        Assert.NotEqual(first, second);

        string archive = Path.Combine(skiff.Sandbox.Work, "multi.tar");
        (await skiff.RunAsync("save", "-m", "-o", archive, "busybox:1", "other:2")).AssertSuccess();
        string manifest = (await skiff.ExecAsync("tar", "-xOf", archive, "manifest.json")).AssertSuccess().Stdout;
        using (var document = System.Text.Json.JsonDocument.Parse(manifest))
        {
            Assert.Equal(
                ["localhost/busybox:1", "localhost/other:2"],
                document.RootElement.EnumerateArray().Select(e => e.GetProperty("RepoTags")[0].GetString()!).ToArray());
        }

        (await skiff.RunAsync("rmi", "busybox:1", "other:2")).AssertSuccess();
        ProcessResult loaded = (await skiff.RunAsync("load", "-i", archive)).AssertSuccess();
        Assert.Equal(["Loaded image: localhost/busybox:1", "Loaded image: localhost/other:2"], loaded.StdoutLines.Order().ToArray());
        Assert.Equal(first, (await skiff.RunAsync("image", "inspect", "-f", "{{.Id}}", "busybox:1")).AssertSuccess().Stdout.Trim());
        Assert.Equal(second, (await skiff.RunAsync("image", "inspect", "-f", "{{.Id}}", "other:2")).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("save", "-m", "--format", "oci-archive", "-o", archive, "busybox:1", "other:2"))
            .AssertError(125, "unsupported format \"oci-archive\" for saving multiple images (only docker-archive)");
    }

    [Fact]
    public async Task Podman_loads_what_skiff_saves_and_skiff_loads_what_podman_saves()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        await skiff.ImportBusyboxAsync("busybox:1");
        string id = (await skiff.RunAsync("images", "-q", "--no-trunc")).AssertSuccess().Stdout.Trim();
        // podman refuses a runroot longer than 50 characters.
        string podmanRunRoot = Path.Combine("/tmp", $"pr-{Guid.NewGuid():N}"[..12]);
        string[] podman = ["--root", Path.Combine(skiff.Sandbox.Work, "podman"), "--runroot", podmanRunRoot, "--storage-driver", "vfs"];
        try
        {
            await RoundTripWithPodmanAsync(skiff, podman, id);
        }
        finally
        {
            await skiff.ExecAsync("podman", [.. podman, "system", "reset", "-f"], null);
            if (Directory.Exists(podmanRunRoot))
            {
                Directory.Delete(podmanRunRoot, recursive: true);
            }
        }
    }

    private static async Task RoundTripWithPodmanAsync(SkiffCli skiff, string[] podman, string id)
    {

        foreach (string format in new[] { "docker-archive", "oci-archive" })
        {
            string archive = Path.Combine(skiff.Sandbox.Work, $"skiff-{format}.tar");
            (await skiff.RunAsync("save", "--format", format, "-o", archive, "busybox:1")).AssertSuccess();
            (await skiff.ExecAsync("podman", [.. podman, "load", "-i", archive], null)).AssertSuccess();
            ProcessResult listed = (await skiff.ExecAsync("podman", [.. podman, "images", "--no-trunc", "--format", "{{.Repository}}:{{.Tag}} {{.ID}}"], null)).AssertSuccess();
            Assert.Contains($"localhost/busybox:1 {id}", listed.Stdout);
        }

        (await skiff.ExecAsync("podman", [.. podman, "tag", "localhost/busybox:1", "docker.io/library/frompodman:2"], null)).AssertSuccess();
        foreach (string format in new[] { "docker-archive", "oci-archive" })
        {
            string archive = Path.Combine(skiff.Sandbox.Work, $"podman-{format}.tar");
            (await skiff.ExecAsync("podman", [.. podman, "save", "--format", format, "-o", archive, "docker.io/library/frompodman:2"], null)).AssertSuccess();
            Assert.Equal(["Loaded image: docker.io/library/frompodman:2"], (await skiff.RunAsync("load", "-i", archive)).AssertSuccess().StdoutLines);
            Assert.Equal("frompodman 2", (await skiff.RunAsync("image", "inspect", "-f", "{{range .RepoTags}}{{if eq . \"docker.io/library/frompodman:2\"}}frompodman 2{{end}}{{end}}", "frompodman:2")).AssertSuccess().Stdout.Trim());
            (await skiff.RunAsync("rmi", "frompodman:2")).AssertSuccess();
        }
    }

    [Theory, RootAndRootless]
    public async Task Bad_input_is_one_error_line_and_exit_125_or_podmans_code_and_loses_nothing(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");
        string notArchive = Path.Combine(skiff.Sandbox.Work, "not-an-archive");
        await File.WriteAllTextAsync(notArchive, "hello\n");

        (await skiff.RunAsync("tag", "busybox", "Bad:Name")).AssertError(125, "invalid reference format");
        // rmi's exit status is podman's: 1 for an image that does not exist.
        (await skiff.RunAsync("rmi", "nosuchimage")).AssertError(1, "nosuchimage: image not known");
        (await skiff.RunAsync("image", "inspect", "nosuchimage")).AssertError(125, "nosuchimage: image not known");
        (await skiff.RunAsync("history", "nosuchimage")).AssertError(125, "image not known");
        (await skiff.RunAsync("save", "-o", Path.Combine(skiff.Sandbox.Work, "x.tar"), "nosuchimage")).AssertError(125, "image not known");
        (await skiff.RunAsync("images", "--no-such-flag")).AssertError(125, "--no-such-flag");
        (await skiff.RunAsync("rmi", "--no-such-flag", "busybox")).AssertError(125, "--no-such-flag");
        (await skiff.RunAsync("images", "--filter", "bogus=1")).AssertError(125, "invalid filter");
        (await skiff.RunAsync("images", "--format", "{{.NoSuchField}}")).AssertError(125, "can't evaluate field NoSuchField");
        (await skiff.RunAsync("import", Path.Combine(skiff.Sandbox.Work, "missing.tar"))).AssertError(125, "no such file or directory");
        (await skiff.RunAsync("load", "-i", Path.Combine(skiff.Sandbox.Work, "missing.tar"))).AssertError(125, "no such file or directory");
        (await skiff.RunAsync("load", "-i", notArchive)).AssertError(125, "Error:");
        (await skiff.RunAsync("import", "-c", "BOGUS x", notArchive)).AssertError(125, "invalid change");

        // Multi-target: every target is tried, each failure reported, exit non-zero.
        (await skiff.RunAsync("tag", "busybox", "keep:1")).AssertSuccess();
        ProcessResult some = await skiff.RunAsync("rmi", "nosuchimage", "keep:1", "alsomissing");
        some.AssertExitCode(1);
        Assert.Equal(["Untagged: localhost/keep:1"], some.StdoutLines);
        Assert.Contains("nosuchimage", some.Stderr);
        Assert.Contains("alsomissing", some.Stderr);

        Assert.Equal(["localhost/busybox:latest"], (await skiff.RunAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).AssertSuccess().StdoutLines);
    }
}
