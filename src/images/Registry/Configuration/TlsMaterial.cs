using System.Security.Cryptography.X509Certificates;

namespace Skiff.Images.Registry.Configuration;

/// <summary>Extra trust anchors (<c>*.crt</c>) and client certificates (<c>*.cert</c> + <c>*.key</c>) for one registry host.</summary>
public sealed record TlsMaterial(IReadOnlyList<X509Certificate2> Authorities, IReadOnlyList<X509Certificate2> ClientCertificates)
{
    public static TlsMaterial None { get; } = new([], []);
}
