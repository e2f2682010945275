namespace Skiff.Images.Registry;

/// <summary>
/// Where to talk to a registry: <see cref="Registry"/> as written in image names (<c>docker.io</c>,
/// <c>localhost:5000</c>) and the <see cref="Host"/> its API answers on. <see cref="Insecure"/> allows plain
/// http and unverified TLS (registries.conf <c>insecure = true</c> or <c>--tls-verify=false</c>).
/// </summary>
public sealed record RegistryEndpoint(string Registry, string Host, bool Insecure)
{
    public static RegistryEndpoint For(string registry, bool insecure) =>
        new(registry, registry == References.ImageReference.DockerHub ? "registry-1.docker.io" : registry, insecure);
}
