using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Volumes;

/// <summary>Named and anonymous volumes through the published binary: the volume verbs, -v/--mount, copy-up, rm -v and --rm.</summary>
[Trait("Category", "E2E")]
public sealed class VolumeTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Volume_verbs_create_list_inspect_and_remove(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        Assert.Equal("data\n", (await skiff.RunAsync("volume", "create", "--label", "tier=db", "--opt", "o=x", "data")).AssertSuccess().Stdout);
        (await skiff.RunAsync("volume", "create", "data")).AssertError(125, "volume with name data already exists");
        (await skiff.RunAsync("volume", "create", "bad/name")).AssertError(125, "invalid characters");
        string random = (await skiff.RunAsync("volume", "create")).AssertSuccess().Stdout.Trim();
        Assert.Equal(64, random.Length);

        Assert.Equal(new[] { "data", random }.Order(StringComparer.Ordinal), (await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));
        Assert.Equal(["data"], (await skiff.RunAsync("volume", "ls", "-q", "--filter", "label=tier=db")).AssertSuccess().StdoutLines);
        Assert.Equal("local data\n", (await skiff.RunAsync("volume", "ls", "--filter", "name=dat", "--format", "{{.Driver}} {{.Name}}")).AssertSuccess().Stdout);
        Assert.StartsWith("DRIVER", (await skiff.RunAsync("volume", "ls")).AssertSuccess().Stdout);

        using (JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("volume", "inspect", "data")).AssertSuccess().Stdout))
        {
            JsonElement volume = Assert.Single(inspect.RootElement.EnumerateArray().ToList());
            Assert.Equal("data", volume.GetProperty("Name").GetString());
            Assert.Equal("local", volume.GetProperty("Driver").GetString());
            Assert.Equal("local", volume.GetProperty("Scope").GetString());
            Assert.Equal(Path.Combine(skiff.Sandbox.StorageRoot, "volumes", "data", "_data"), volume.GetProperty("Mountpoint").GetString());
            Assert.Equal("db", volume.GetProperty("Labels").GetProperty("tier").GetString());
            Assert.Equal("x", volume.GetProperty("Options").GetProperty("o").GetString());
            Assert.True(DateTimeOffset.TryParse(volume.GetProperty("CreatedAt").GetString(), out _));
        }

        Assert.Equal("data\n", (await skiff.RunAsync("volume", "inspect", "--format", "{{.Name}}", "data")).AssertSuccess().Stdout);
        (await skiff.RunAsync("volume", "inspect", "nope")).AssertError(125, "no such volume nope");
        (await skiff.RunAsync("volume", "rm", "nope")).AssertError(1, "no volume with name \"nope\" found");

        Assert.Equal("data\n", (await skiff.RunAsync("volume", "rm", "data")).AssertSuccess().Stdout);
        Assert.Equal([random], (await skiff.RunAsync("volume", "prune", "-f")).AssertSuccess().StdoutLines);
        Assert.Empty((await skiff.RunAsync("volume", "ls")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Volume_prune_until_a_duration_ago_removes_only_the_older_volumes(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        (await skiff.RunAsync("volume", "create", "old")).AssertSuccess();
        await Task.Delay(TimeSpan.FromSeconds(4));
        (await skiff.RunAsync("volume", "create", "fresh")).AssertSuccess();

        Assert.Equal(["old"], (await skiff.RunAsync("volume", "ls", "-q", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        Assert.Equal(["old"], (await skiff.RunAsync("volume", "prune", "-f", "--filter", "until=2s")).AssertSuccess().StdoutLines);
        Assert.Equal(["fresh"], (await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);

        // A negative duration is ahead of now; values of one key are alternatives, as podman's.
        Assert.Equal(["fresh"], (await skiff.RunAsync("volume", "prune", "-f", "--filter", "until=1h", "--filter", "until=-1m")).AssertSuccess().StdoutLines);

        // A bad value is refused even with no volume to test it on.
        Assert.Empty((await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("volume", "prune", "-f", "--filter", "until=yesterday")).AssertError(125, "invalid until filter \"yesterday\"");
        (await skiff.RunAsync("volume", "ls", "--filter", "until=1d")).AssertError(125, "invalid until filter \"1d\"");
    }

    [Theory, RootAndRootless]
    public async Task Named_volume_is_created_on_first_use_filled_from_the_image_and_kept(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        // Copy-up: the new volume takes the image's /home, owners included (app is 1000:1000 in the image).
        ProcessResult first = (await skiff.RunAsync("run", "--name", "writer", "-v", "homes:/home", "busybox", "sh", "-c", "stat -c '%u:%g' /home/app && echo kept > /home/note")).AssertSuccess();
        Assert.Equal("1000:1000\n", first.Stdout);
        Assert.Equal("kept\n1000:1000\n", (await skiff.RunAsync("run", "--rm", "--mount", "type=volume,source=homes,target=/mnt,readonly", "busybox", "sh", "-c", "cat /mnt/note && stat -c '%u:%g' /mnt/app")).AssertSuccess().Stdout);
        (await skiff.RunAsync("run", "--rm", "-v", "homes:/mnt:ro", "busybox", "touch", "/mnt/x")).AssertExitCode(1);

        // The volume's root belongs to the container's root (rootless: the user, mapped to 0).
        Assert.Equal("0\n", (await skiff.RunAsync("run", "--rm", "-v", "fresh:/fresh", "busybox", "stat", "-c", "%u", "/fresh")).AssertSuccess().Stdout);

        using (JsonDocument inspect = JsonDocument.Parse((await skiff.RunAsync("inspect", "writer")).AssertSuccess().Stdout))
        {
            JsonElement mount = Assert.Single(inspect.RootElement[0].GetProperty("Mounts").EnumerateArray().ToList());
            Assert.Equal("volume", mount.GetProperty("Type").GetString());
            Assert.Equal("homes", mount.GetProperty("Name").GetString());
            Assert.Equal("/home", mount.GetProperty("Destination").GetString());
            Assert.Equal(Path.Combine(skiff.Sandbox.StorageRoot, "volumes", "homes", "_data"), mount.GetProperty("Source").GetString());
        }

        // podman: a volume in use is refused with exit 2; prune keeps it; rm -v keeps named volumes.
        (await skiff.RunAsync("volume", "rm", "homes")).AssertError(2, "volume homes is being used by the following container(s)");
        Assert.DoesNotContain("homes", (await skiff.RunAsync("volume", "prune", "-f")).AssertSuccess().StdoutLines);
        (await skiff.RunAsync("rm", "-v", "writer")).AssertSuccess();
        Assert.Contains("homes", (await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);

        // -f removes the containers that use it.
        (await skiff.RunAsync("create", "--name", "holder", "-v", "homes:/h", "busybox", "true")).AssertSuccess();
        Assert.Equal("homes\n", (await skiff.RunAsync("volume", "rm", "-f", "homes")).AssertSuccess().Stdout);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
    }

    [Theory, RootAndRootless]
    public async Task Anonymous_volumes_go_with_rm_v_and_with_rm(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string tar = Path.Combine(skiff.Sandbox.Work, "rootfs.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        (await skiff.RunAsync("import", "--change", "VOLUME /etc", tar, "withvol")).AssertSuccess();

        // The image's VOLUME /etc becomes an anonymous volume filled from the image; -v /scratch is another.
        (await skiff.RunAsync("run", "--name", "anon", "-v", "/scratch", "withvol", "sh", "-c", "test -s /etc/passwd && touch /scratch/x")).AssertSuccess();
        List<string> volumes = (await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines.ToList();
        Assert.Equal(2, volumes.Count);
        (await skiff.RunAsync("rm", "-v", "anon")).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);

        (await skiff.RunAsync("run", "--rm", "-v", "/scratch", "-v", "named:/named", "withvol", "true")).AssertSuccess();
        Assert.Equal(["named"], (await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines);

        // A --rm container whose start fails goes with its anonymous volumes too (podman's run --rm); named ones stay.
        (await skiff.RunAsync("run", "--rm", "-v", "/scratch", "-v", "kept:/kept", "withvol", "/no/such/command")).AssertExitCode(127);
        Assert.Empty((await skiff.RunAsync("ps", "-a", "-q")).AssertSuccess().StdoutLines);
        Assert.Equal(["kept", "named"], (await skiff.RunAsync("volume", "ls", "-q")).AssertSuccess().StdoutLines.Order(StringComparer.Ordinal));
    }
}
