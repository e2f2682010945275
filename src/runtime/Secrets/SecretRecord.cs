namespace Skiff.Runtime.Secrets;

/// <summary>A secret's metadata, stored as <c>secrets/&lt;name&gt;/secret.json</c> beside its data (never the value).</summary>
public sealed record SecretRecord
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Always "file": the only driver skiff has (podman's default).</summary>
    public string Driver { get; init; } = SecretStore.FileDriver;

    /// <summary>What podman's inspect shows as Spec.Driver.Options: the file driver's <c>path</c>, and any --driver-opts given.</summary>
    public IReadOnlyDictionary<string, string> DriverOptions { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
}
