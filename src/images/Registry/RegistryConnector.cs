using Skiff.Images.Registry.Auth;
using Skiff.Images.Registry.Configuration;

namespace Skiff.Images.Registry;

/// <summary>
/// Opens sessions to registries with everything they need: the HTTP stack for the host (certs.d, insecure
/// setting), credentials for the name, retry and realm policies. Tests replace <see cref="CreateHandler"/>
/// with a fake handler and <see cref="Retry"/> with a policy that does not sleep.
/// </summary>
public sealed class RegistryConnector
{
    public required RegistriesConfig Config { get; init; }

    public required CredentialStore Credentials { get; init; }

    public CertificateDirectories Certificates { get; init; } = new([]);

    /// <summary>--tls-verify: null follows registries.conf; false allows http and unverified TLS; true forbids both.</summary>
    public bool? TlsVerify { get; init; }

    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    public RealmPolicy Realms { get; init; } = RealmPolicy.System;

    public Func<string, bool, HttpMessageHandler>? CreateHandler { get; init; }

    public bool IsInsecure(string name, bool configured) => TlsVerify is bool verify ? !verify : configured;

    /// <summary>A session for <paramref name="registry"/>; <paramref name="credentialName"/> picks credentials (host or host/repo).</summary>
    public RegistrySession Open(string registry, bool insecure, string credentialName, IReadOnlyList<string> scopes)
    {
        RegistryEndpoint endpoint = RegistryEndpoint.For(registry, insecure);
        HttpMessageHandler handler = CreateHandler is not null
            ? CreateHandler(endpoint.Host, insecure)
            : RegistryTransport.CreateHandler(Certificates.Load(registry), verifyCertificates: !insecure);
        return new RegistrySession(handler, endpoint, Credentials.Find(credentialName), scopes, Retry, Realms);
    }
}
