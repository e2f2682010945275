namespace Skiff.Images.Local;

/// <summary>One inconsistency in the image store: what, the item it concerns, the bytes it holds, and the fix.</summary>
public sealed record StoreProblem(StoreProblemKind Kind, string Subject, string Message, string Fix, long Bytes = 0)
{
    public bool Repairable => Kind != StoreProblemKind.MissingContent;

    /// <summary>
    /// Lock files of finished work: every download leaves one (deleting a lock file while others may open
    /// it is racy, so only a sweep under the store's exclusive hold does). Harmless; tidied, not a problem.
    /// </summary>
    public bool Housekeeping => Kind == StoreProblemKind.StaleLock;
}
