namespace Skiff.Rootless.Network.Netlink;

/// <summary>A link as a dump shows it (RTM_NEWLINK): its index and its IFF_* flags.</summary>
public sealed record LinkState(int Index, uint Flags);
