namespace Skiff.Images.Registry.Pushing;

/// <param name="Source">A local image: name, id or name@digest.</param>
/// <param name="Destination">Where to push (<c>[docker://]registry/repository[:tag]</c>); the source's name when null.</param>
public sealed record PushOptions(string Source, string? Destination)
{
    public PushFormat Format { get; init; } = PushFormat.Keep;

    public int Concurrency { get; init; } = 3;
}
