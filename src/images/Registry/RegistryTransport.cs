using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Skiff.Images.Registry.Configuration;

namespace Skiff.Images.Registry;

/// <summary>
/// Builds the HTTP stack for one registry host: SocketsHttpHandler (AOT-safe), no automatic redirects
/// (the session follows them itself and drops credentials on the way), extra CAs and client
/// certificates from certs.d, and certificate checks off only when the registry is configured insecure.
/// </summary>
public static class RegistryTransport
{
    public static SocketsHttpHandler CreateHandler(TlsMaterial tls, bool verifyCertificates)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = true,
        };

        var ssl = new SslClientAuthenticationOptions();
        if (tls.ClientCertificates.Count > 0)
        {
            ssl.ClientCertificates = new X509CertificateCollection(tls.ClientCertificates.Cast<X509Certificate>().ToArray());
        }

        if (!verifyCertificates)
        {
            ssl.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (tls.Authorities.Count > 0)
        {
            X509Certificate2[] authorities = [.. tls.Authorities];
            ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && ChainsTo(certificate, errors, authorities));
        }

        handler.SslOptions = ssl;
        return handler;
    }

    private static bool ChainsTo(X509Certificate certificate, SslPolicyErrors errors, X509Certificate2[] authorities)
    {
        // Only a chain problem can be cured by extra CAs; a wrong host name stays an error.
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
