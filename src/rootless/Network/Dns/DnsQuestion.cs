namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// The one question of a DNS query (RFC 1035 4.1.2). <see cref="Name"/> is the dotted name for lookups (no
/// trailing dot; a label holding a dot or a backslash has them escaped, so it never matches a record);
/// <see cref="WireName"/> is the same name encoded without compression, echoed in the response.
/// </summary>
public sealed record DnsQuestion(string Name, byte[] WireName, ushort Type, ushort Class);
