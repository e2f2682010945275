using Skiff.Core.Digests;

namespace Skiff.Images.Snapshots;

/// <summary>One owner-shifted image copy: its directory name, the top layer chain id it was made from (null when unfinished), its size in bytes.</summary>
public sealed record MappedCopy(string Name, Digest? TopChainId, long Size);
