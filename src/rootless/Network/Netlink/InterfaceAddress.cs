using System.Net;

namespace Skiff.Rootless.Network.Netlink;

/// <summary>An IPv4 address on an interface (IFA_LOCAL of an RTM_NEWADDR) with its prefix length.</summary>
public sealed record InterfaceAddress(int Index, IPAddress Address, int PrefixLength);
