using Skiff.Images.Manifests;

namespace Skiff.Images.Registry.Pulling;

public sealed record PullOptions(string Reference)
{
    /// <summary>The platform to pick from an index; the host's when null.</summary>
    public Platform? Platform { get; init; }

    /// <summary>Layers downloaded at once.</summary>
    public int Concurrency { get; init; } = 3;
}
