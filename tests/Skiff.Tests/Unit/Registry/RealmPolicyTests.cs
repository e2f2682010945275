using System.Net;
using Skiff.Core.Errors;
using Skiff.Images.Registry.Auth;

namespace Skiff.Tests.Unit.Registry;

public sealed class RealmPolicyTests
{
    private static readonly RealmPolicy Policy = new((host, _) => Task.FromResult(host switch
    {
        "auth.example" => new[] { IPAddress.Parse("93.184.216.34") },
        "registry.example" => [IPAddress.Parse("93.184.216.35")],
        "internal.example" => [IPAddress.Parse("10.1.2.3")],
        "lan-registry.example" => [IPAddress.Parse("192.168.1.5")],
        _ => throw new System.Net.Sockets.SocketException(11001),
    }));

    [Theory]
    [InlineData("https://registry.example/", "https://auth.example/token")]
    [InlineData("https://registry.example/", "https://registry.example/token")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5001/token")]
    [InlineData("https://127.0.0.1:5000/", "https://127.0.0.1:6000/token")]
    [InlineData("https://lan-registry.example/", "https://internal.example/token")]
    public async Task Allowed(string registry, string realm) =>
        await Policy.CheckAsync(new Uri(registry), realm, CancellationToken.None);

    [Theory]
    [InlineData("https://registry.example/", "http://auth.example/token", "plain http on another host")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.2/token", "plain http on another host")]
    [InlineData("https://registry.example/", "http://registry.example/token", "plain http while the registry uses https")]
    [InlineData("https://registry.example/", "https://127.0.0.1/token", "loopback")]
    [InlineData("https://registry.example/", "https://localhost/token", "loopback")]
    [InlineData("https://registry.example/", "https://internal.example/token", "private-network")]
    [InlineData("https://registry.example/", "https://169.254.169.254/latest", "link-local")]
    [InlineData("https://registry.example/", "https://[::1]/token", "loopback")]
    [InlineData("https://registry.example/", "file:///etc/passwd", "not an http(s) URL")]
    [InlineData("https://registry.example/", "token", "not an http(s) URL")]
    public async Task Refused(string registry, string realm, string reason)
    {
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => Policy.CheckAsync(new Uri(registry), realm, CancellationToken.None));
        Assert.Equal(ErrorKind.PermissionDenied, e.Kind);
        Assert.Contains(reason, e.Message);
    }
}
