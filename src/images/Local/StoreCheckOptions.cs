namespace Skiff.Images.Local;

/// <summary>How thorough a store check is.</summary>
public sealed record StoreCheckOptions
{
    /// <summary>Hash every blob (system check); prune skips this.</summary>
    public bool VerifyBlobs { get; init; }

    /// <summary>
    /// Partial downloads younger than this are kept: a pull that is tried again soon resumes from them.
    /// Zero reports every partial (nothing writes them while the check holds the store).
    /// </summary>
    public TimeSpan PartialMinAge { get; init; }
}
