namespace Skiff.Tests.Support;

/// <summary>
/// The TLS + htpasswd twin of <see cref="RegistryFixture"/>: a certificate for 127.0.0.1 signed by a
/// throwaway CA (<see cref="CaFile"/>, or <see cref="CertsDirectory"/> in certs.d layout) and basic auth
/// with <see cref="Username"/> / <see cref="Password"/>.
/// </summary>
public sealed class SecureRegistryFixture : IAsyncLifetime
{
    private LocalRegistry? registry;

    public LocalRegistry Registry => registry ?? throw new InvalidOperationException("registry not started");

    public string Address => Registry.Address;

    public string CaFile => Registry.CaFile;

    public string CertsDirectory => Registry.CertsDirectory;

    public string Username => Registry.Username!;

    public string Password => Registry.Password!;

    public string Reference(string name, string tag = "latest") => Registry.Reference(name, tag);

    public async Task InitializeAsync() => registry = await LocalRegistry.StartAsync(tls: true, auth: true);

    public async Task DisposeAsync()
    {
        if (registry is not null)
        {
            await registry.DisposeAsync();
        }
    }
}
