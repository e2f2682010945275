namespace Skiff.Images.Snapshots;

/// <summary>The state of one mounted image, kept in the runroot (gone after a reboot, like the mount).</summary>
public sealed record ImageMountRecord
{
    public string ImageId { get; init; } = string.Empty;

    public string MountPoint { get; init; } = string.Empty;

    public string Driver { get; init; } = string.Empty;

    /// <summary>How many times it was mounted without being unmounted (podman's mount counter).</summary>
    public int Count { get; init; }
}
