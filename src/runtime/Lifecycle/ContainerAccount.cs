namespace Skiff.Runtime.Lifecycle;

/// <summary>A user (and its primary group) that must exist in the container's account files: the host user under --userns=keep-id.</summary>
public sealed record ContainerAccount(string Name, uint Uid, uint Gid, string Home);
