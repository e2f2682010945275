namespace Skiff.Runtime.Mounts;

/// <summary>What to create at a mount target when it does not exist yet.</summary>
public enum TargetKind
{
    /// <summary>Do not create; the path must exist.</summary>
    Existing,
    Directory,
    File,
}
