using System.Diagnostics;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Registry;

/// <summary>Parallel pulls of overlapping images, and pulls killed with SIGKILL at arbitrary moments.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class PullRobustnessTests(RegistryFixture registry, ITestOutputHelper output)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..28];

    [Theory]
    [RootAndRootless]
    public async Task Four_parallel_pulls_of_overlapping_images_succeed(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        var references = new List<string>();
        for (int i = 0; i < 4; i++)
        {
            int n = i;
            OciImage image = TestImages.Busybox()
                .Layer(layer => layer.File("/shared/data", new byte[1 << 20]))
                .Layer(layer => layer.File($"/own/{n}", $"image {n}\n"))
                .WriteLayout(Path.Combine(skiff.Sandbox.Work, $"layout{n}"));
            references.Add(await TestImages.PushAsync(image, registry.Registry, Unique($"parallel/img{n}"), log: output));
        }

        ProcessResult[] pulls = await Task.WhenAll(references.Select(r =>
            skiff.RunAsync(["pull", "-q", "--tls-verify=false", r], (byte[]?)null, TimeSpan.FromSeconds(180))));
        foreach (ProcessResult pull in pulls)
        {
            pull.AssertSuccess();
        }

        Assert.Equal(4, StoreInspection.ImageRecords(skiff.Sandbox.StorageRoot).Count);
        StoreInspection.AssertBlobsVerified(skiff.Sandbox.StorageRoot);
        for (int i = 0; i < 4; i++)
        {
            ProcessResult run = (await skiff.RunAsync("run", "--rm", references[i], "cat", $"/own/{i}")).AssertSuccess();
            Assert.Equal($"image {i}\n", run.Stdout);
        }
    }

    [Fact]
    public async Task A_pull_killed_at_any_moment_leaves_a_store_the_next_pull_completes()
    {
        using var skiff = new SkiffCli(output, rootless: false);
        var random = new Random(7);
        byte[] noise = new byte[24 << 20];
        random.NextBytes(noise);
        OciImage image = TestImages.Busybox()
            .Layer(layer => layer.File("/big", noise))
            .WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, Unique("killed/big"), log: output);

        foreach (int delay in new[] { 5, 40, 120, 300, 700 })
        {
            var start = new ProcessStartInfo(skiff.Binary) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string argument in skiff.StoreFlags().Concat(["pull", "-q", "--tls-verify=false", reference]))
            {
                start.ArgumentList.Add(argument);
            }

            using Process pull = Process.Start(start)!;
            await Task.Delay(delay);
            pull.Kill(entireProcessTree: true);
            await pull.WaitForExitAsync();
            output.WriteLine($"killed after {delay} ms (exit {pull.ExitCode})");

            // Whatever the moment, the store never shows a partial image: no record, or a complete one.
            foreach (var record in StoreInspection.ImageRecords(skiff.Sandbox.StorageRoot))
            {
                Assert.Equal(image.ConfigDigest, record.GetProperty("id").GetString());
            }

            StoreInspection.AssertBlobsVerified(skiff.Sandbox.StorageRoot);
            Assert.True(StoreInspection.PartialCount(skiff.Sandbox.StorageRoot) <= 2, "partial downloads pile up");
        }

        (await skiff.RunAsync(["pull", "-q", "--tls-verify=false", reference], (byte[]?)null, TimeSpan.FromSeconds(180))).AssertSuccess();
        StoreInspection.AssertBlobsVerified(skiff.Sandbox.StorageRoot);
        Assert.Equal("ok\n", (await skiff.RunAsync("run", "--rm", reference, "sh", "-c", "test -s /big && echo ok")).AssertSuccess().Stdout);
        (await skiff.RunAsync("rmi", reference)).AssertSuccess();
        Assert.Empty((await skiff.RunAsync("images", "-q")).AssertSuccess().StdoutLines);
    }
}
