using Skiff.Cli.Output;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's container sizes (<c>ps --size</c>, <c>inspect --size</c>): what the container wrote into its writable
/// layer, and the size of the image under it (podman's RootFsSize leaves the writable layer out).
/// </summary>
public sealed record ContainerSize(long RwSize, long RootFsSize)
{
    /// <summary>podman's SIZE column: <c>1.5MB (virtual 1.98MB)</c>.</summary>
    public string Column => $"{Humanize.Size(RwSize)} (virtual {Humanize.Size(RootFsSize)})";
}
