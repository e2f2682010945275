namespace Skiff.Runtime.Memory;

/// <summary>One mapping of /proc/self/smaps, with the counters that decide whether its pages may be dropped.</summary>
/// <param name="Start">First address.</param>
/// <param name="End">Address after the last byte.</param>
/// <param name="Permissions">The four permission characters, e.g. <c>r-xp</c>.</param>
/// <param name="Inode">The backing file's inode, 0 for anonymous memory.</param>
/// <param name="Path">The backing file or pseudo name (<c>[stack]</c>), empty for anonymous memory.</param>
/// <param name="RssKilobytes">Resident memory.</param>
/// <param name="PrivateDirtyKilobytes">Pages this process changed (copy-on-write or anonymous).</param>
/// <param name="AnonymousKilobytes">Pages not backed by the file any more.</param>
/// <param name="Locked">The mapping is mlocked (<c>Locked</c> not 0).</param>
public sealed record MappedRegion(
    ulong Start,
    ulong End,
    string Permissions,
    ulong Inode,
    string Path,
    long RssKilobytes,
    long PrivateDirtyKilobytes,
    long AnonymousKilobytes,
    bool Locked)
{
    /// <summary>
    /// A private, read-only file mapping with no page of its own: every resident page is the page cache's,
    /// so dropping them loses nothing and the next touch maps them again from the cache. Writable and
    /// RELRO mappings (relocated, so dirty) never qualify.
    /// </summary>
    public bool CanDropCleanPages =>
        Inode != 0
        && Path.StartsWith('/')
        && Permissions.Length == 4
        && Permissions[1] == '-'
        && Permissions[3] == 'p'
        && RssKilobytes > 0
        && PrivateDirtyKilobytes == 0
        && AnonymousKilobytes == 0
        && !Locked;
}
