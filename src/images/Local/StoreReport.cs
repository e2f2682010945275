namespace Skiff.Images.Local;

/// <summary>What a store check found and, with repair, what it removed. <see cref="Busy"/>: another skiff process held the store, nothing was examined.</summary>
public sealed record StoreReport(IReadOnlyList<StoreProblem> Found, IReadOnlyList<StoreProblem> Repaired, long FreedBytes, bool Busy = false)
{
    public static StoreReport InUse { get; } = new([], [], 0, Busy: true);

    public IReadOnlyList<StoreProblem> Remaining => Found.Except(Repaired).ToList();
}
