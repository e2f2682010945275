namespace Skiff.Runtime.Memory;

/// <summary>What <see cref="YoungHeapHugePage.TryCollapse"/> did.</summary>
public enum HugePageOutcome
{
    /// <summary>The block is one huge page now.</summary>
    Collapsed,

    /// <summary>The collector's settings do not show regions that hold the whole block: nothing was touched.</summary>
    UnknownLayout,

    /// <summary>Something other than private anonymous memory lies in the block: nothing was touched.</summary>
    NotAnonymous,

    /// <summary>The kernel refused (MADV_COLLAPSE needs Linux 6.1 and transparent huge pages not "never"): the block is committed, not collapsed.</summary>
    Refused,
}
