namespace Skiff.Runtime.Lifecycle;

/// <summary>The identity the container's process runs as, resolved from --user, --group-add and the image's files.</summary>
public sealed record ContainerUser(uint Uid, uint Gid, IReadOnlyList<uint> AdditionalGids, string Home);
