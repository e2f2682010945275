using System.Net;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>An address as a dump shows it (RTM_NEWADDR): family, link, prefix length, scope and IFA_F_* flags.</summary>
public sealed record AddressState(byte Family, int Index, IPAddress Address, int PrefixLength, byte Scope, uint Flags);
