using Skiff.Images.Files;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Unpack;

/// <summary>
/// A file with file capabilities (a binary security.capability value that is not valid UTF-8, carried as
/// a PAX SCHILY.xattr record, as docker and buildah write it) keeps them after skiff pulls and unpacks
/// the image as root.
/// </summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class FileCapabilityTests(RegistryFixture registry, ITestOutputHelper output)
{
    [Fact]
    public async Task File_capabilities_survive_pull_and_unpack_as_root()
    {
        Assert.True(TestEnvironment.IsRoot, "setting security.capability needs CAP_SETFCAP (tests/run.sh runs the suite as root)");
        using var skiff = new SkiffCli(output, rootless: false);
        byte[] capability = RawTar.Capability();
        var layer = new LayerBuilder()
            .Directory("/usr/bin")
            .Raw([.. RawTar.Pax(("SCHILY.xattr.security.capability", capability)), .. RawTar.File("usr/bin/ping", "#!/bin/sh\n"u8.ToArray(), mode: 0x1ED)])
            .File("/usr/bin/after", "still read");
        OciImage image = new OciImageBuilder().Layer(layer).WriteLayout(Path.Combine(skiff.Sandbox.Work, "layout"));
        string reference = await TestImages.PushAsync(image, registry.Registry, $"caps/ping-{Guid.NewGuid():N}"[..24], log: output);

        (await skiff.RunAsync("pull", "-q", "--tls-verify=false", reference)).AssertSuccess();

        // One layer: its chain id is its diff id.
        string diff = Path.Combine(skiff.Sandbox.StorageRoot, "layers", image.DiffIds[0]["sha256:".Length..], "diff");
        using DirectoryHandle bin = DirectoryHandle.Open(Path.Combine(diff, "usr", "bin"));
        IReadOnlyDictionary<string, byte[]> xattrs = bin.ReadXattrs("ping");
        Assert.True(xattrs.ContainsKey("security.capability"), "security.capability is missing after unpack: " + string.Join(", ", xattrs.Keys));
        Assert.Equal(capability, xattrs["security.capability"]);
        Assert.Equal("still read", File.ReadAllText(Path.Combine(diff, "usr", "bin", "after")));
    }
}
