namespace Skiff.Rootless.Network.Dns;

/// <summary>What to do with a received message.</summary>
public enum DnsParseOutcome
{
    /// <summary>A query with one question: answer it.</summary>
    Query,

    /// <summary>Too short for a header, or a response: no answer at all (answering responses invites loops).</summary>
    Drop,

    /// <summary>A header was read but the rest is malformed: FORMERR.</summary>
    FormatError,

    /// <summary>Not a standard query (another opcode): NOTIMP.</summary>
    NotImplemented,
}
