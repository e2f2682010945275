using System.Text.Json;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Images;

/// <summary><c>skiff info</c> on the published binary, as root and rootless: store paths, driver, rootless flag, id maps, version.</summary>
[Trait("Category", "E2E")]
public sealed class InfoTests(ITestOutputHelper output)
{
    [Theory, RootAndRootless]
    public async Task Reports_the_store_the_driver_the_mode_and_the_id_maps(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        await skiff.ImportBusyboxAsync("busybox");

        string json = (await skiff.RunAsync("info", "--format", "json")).AssertSuccess().Stdout;
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement host = document.RootElement.GetProperty("host");
        JsonElement store = document.RootElement.GetProperty("store");
        Assert.Equal(rootless, host.GetProperty("rootless").GetBoolean());
        Assert.Equal(rootless, host.GetProperty("security").GetProperty("rootless").GetBoolean());
        Assert.Equal(skiff.Sandbox.StorageRoot, store.GetProperty("graphRoot").GetString());
        Assert.Equal(skiff.Sandbox.RunRoot, store.GetProperty("runRoot").GetString());
        Assert.Contains(store.GetProperty("graphDriverName").GetString(), new[] { "overlay", "fuse-overlayfs", "vfs" });
        Assert.Equal(1, store.GetProperty("imageStore").GetProperty("number").GetInt64());
        Assert.False(string.IsNullOrEmpty(document.RootElement.GetProperty("version").GetProperty("Version").GetString()));

        JsonElement uidmap = host.GetProperty("idMappings").GetProperty("uidmap");
        if (rootless)
        {
            JsonElement first = uidmap[0];
            Assert.Equal(0, first.GetProperty("container_id").GetInt64());
            Assert.Equal(skiff.Sandbox.User!.Uid, first.GetProperty("host_id").GetInt64());
            Assert.True(uidmap[1].GetProperty("size").GetInt64() >= 65536);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, uidmap.ValueKind); // podman prints null as root
        }

        // podman's containerStore counts, runtime and log driver, as scripts read them.
        (await skiff.RunAsync("run", "-d", "--name", "up", "--network", "none", "busybox", "sleep", "300")).AssertSuccess();
        (await skiff.RunAsync("create", "--name", "made", "--network", "none", "busybox", "true")).AssertSuccess();
        Assert.Equal(
            $"2 1 0 1 skiff k8s-file {Path.Combine(skiff.Sandbox.StorageRoot, "volumes")}",
            (await skiff.RunAsync("info", "--format", "{{.Store.ContainerStore.Number}} {{.Store.ContainerStore.Running}} {{.Store.ContainerStore.Paused}} {{.Store.ContainerStore.Stopped}} {{.Host.OCIRuntime.Name}} {{.Host.LogDriver}} {{.Store.VolumePath}}")).AssertSuccess().Stdout.Trim());
        Assert.True((await skiff.RunAsync("info", "--format", "{{.Host.MemTotal}}")).AssertSuccess().Stdout.Trim() is { Length: > 6 } total && long.Parse(total, System.Globalization.CultureInfo.InvariantCulture) > 0);
        (await skiff.RunAsync("rm", "-f", "-t", "0", "up", "made")).AssertSuccess();

        // podman's field path, as scripts use it.
        string flag = (await skiff.RunAsync("info", "--format", "{{.Host.Security.Rootless}} {{.Store.GraphRoot}}")).AssertSuccess().Stdout.Trim();
        Assert.Equal($"{(rootless ? "true" : "false")} {skiff.Sandbox.StorageRoot}", flag);
    }
}
