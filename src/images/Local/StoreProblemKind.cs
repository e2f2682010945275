namespace Skiff.Images.Local;

/// <summary>What a store check found; the repairable kinds are removed by <see cref="StoreChecker.Repair"/>.</summary>
public enum StoreProblemKind
{
    /// <summary>A blob no image references (left by a failed import/load or an interrupted removal).</summary>
    OrphanedBlob,

    /// <summary>An unpacked layer no image uses, or a layer directory without its layer.json.</summary>
    OrphanedLayer,

    /// <summary>An owner-shifted image copy (rootless --userns) whose image is gone and that no container mounts.</summary>
    OrphanedMappedCopy,

    /// <summary>A partial download or an interrupted atomic write.</summary>
    HalfWrittenBlob,

    /// <summary>A stored blob that does not hash to its name.</summary>
    CorruptBlob,

    /// <summary>A lock file for something that no longer exists.</summary>
    StaleLock,

    /// <summary>An extraction, removal or archive scratch directory a killed process left.</summary>
    Leftover,

    /// <summary>An image whose manifest, configuration or layer blob is gone (not repairable: pull it again or remove it).</summary>
    MissingContent,
}
