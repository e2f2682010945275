namespace Skiff.Core.Mounts;

/// <summary>
/// One mount, as the OCI runtime spec describes it. Snapshotters return these for a root filesystem
/// (e.g. an overlay with lowerdir/upperdir/workdir options) and the runtime only consumes them.
/// </summary>
public sealed record MountSpec(string Type, string Source, string Destination, IReadOnlyList<string> Options);
