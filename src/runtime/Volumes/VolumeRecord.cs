namespace Skiff.Runtime.Volumes;

/// <summary>A volume's metadata, stored as <c>volumes/&lt;name&gt;/volume.json</c> beside its <c>_data</c> directory.</summary>
public sealed record VolumeRecord
{
    public required string Name { get; init; }

    /// <summary>Always "local": skiff has no volume plugins.</summary>
    public string Driver { get; init; } = "local";

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The driver options given with <c>--opt</c> (recorded, not interpreted: the local driver only keeps a directory).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Created for <c>-v /dst</c> or an image VOLUME: removed with its container by <c>rm -v</c> and <c>--rm</c>.</summary>
    public bool Anonymous { get; init; }

    /// <summary>
    /// True until the first container that mounts the volume has started: then, if the volume is still
    /// empty, it is filled with the image's content at the mount point (docker's and podman's copy-up).
    /// </summary>
    public bool NeedsCopyUp { get; init; } = true;
}
