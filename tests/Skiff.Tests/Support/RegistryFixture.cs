namespace Skiff.Tests.Support;

/// <summary>
/// A plain-http anonymous registry on loopback for a test class (<c>IClassFixture&lt;RegistryFixture&gt;</c>)
/// or a whole collection (<c>[Collection(RegistryCollection.Name)]</c>). Push with --tls-verify=false.
/// Tests sharing it use distinct repository names.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private LocalRegistry? registry;

    public LocalRegistry Registry => registry ?? throw new InvalidOperationException("registry not started");

    /// <summary>127.0.0.1:PORT.</summary>
    public string Address => Registry.Address;

    public string Reference(string name, string tag = "latest") => Registry.Reference(name, tag);

    public async Task InitializeAsync() => registry = await LocalRegistry.StartAsync();

    public async Task DisposeAsync()
    {
        if (registry is not null)
        {
            await registry.DisposeAsync();
        }
    }
}
