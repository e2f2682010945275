using System.Net.Http;
using Skiff.Images.Registry;

namespace Skiff.Tests.Unit.Registry;

public sealed class UnreachableRegistryHintTests
{
    [Fact]
    public void A_name_that_does_not_resolve_points_at_dns_and_offline_use_not_at_tls()
    {
        var failure = new HttpRequestException(HttpRequestError.NameResolutionError);
        string hint = RegistrySession.HintFor(failure, insecure: false);
        Assert.Contains("DNS", hint);
        Assert.DoesNotContain("tls-verify", hint);
    }

    [Fact]
    public void A_failed_tls_handshake_suggests_tls_verify_false()
    {
        var failure = new HttpRequestException(HttpRequestError.SecureConnectionError);
        Assert.Contains("--tls-verify=false", RegistrySession.HintFor(failure, insecure: false));
    }

    [Fact]
    public void An_insecure_registry_that_refuses_connections_is_told_to_check_it_runs()
    {
        var failure = new HttpRequestException(HttpRequestError.ConnectionError);
        string hint = RegistrySession.HintFor(failure, insecure: true);
        Assert.Equal("check that the registry runs and the address is right", hint);
    }
}
