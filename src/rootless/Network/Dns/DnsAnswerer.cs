namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// Decides the answer to one query from a network's records: A records for container names, AAAA records for
/// those with an IPv6 address (dual-stack networks), an empty NOERROR for other types of a known name (as
/// podman's aardvark-dns answers), NXDOMAIN for unknown names under the search domain, PTR for the containers'
/// addresses; everything else is for the upstream servers.
/// </summary>
public static class DnsAnswerer
{
    /// <summary>Short: containers come and go, and a stale answer outlives the container.</summary>
    public const uint Ttl = 60;

    /// <summary>The response to send, or null when the query must be forwarded (<paramref name="forward"/> says so).</summary>
    public static byte[]? Answer(ReadOnlySpan<byte> message, DnsRecords records, int maxSize, out bool forward)
    {
        forward = false;
        DnsParseOutcome outcome = DnsCodec.ParseQuery(message, out DnsHeader header, out DnsQuestion? question);
        switch (outcome)
        {
            case DnsParseOutcome.Drop:
                return null;
            case DnsParseOutcome.FormatError:
                return DnsCodec.BuildError(header, null, DnsTypes.FormatError);
            case DnsParseOutcome.NotImplemented:
                return DnsCodec.BuildError(header, null, DnsTypes.NotImplemented);
        }

        DnsQuestion q = question!;
        if (q.Class == DnsTypes.ClassIn && q.Type == DnsTypes.Ptr && records.FindReverse(q.Name) is string target && DnsCodec.EncodeName(target) is byte[] encoded)
        {
            return DnsCodec.BuildResponse(header, q, DnsTypes.NoError, DnsTypes.Ptr, [encoded], Ttl, maxSize);
        }

        if (records.IsKnown(q.Name))
        {
            IReadOnlyList<byte[]> answers = q.Class != DnsTypes.ClassIn ? []
                : q.Type == DnsTypes.A ? records.Find(q.Name) ?? []
                : q.Type == DnsTypes.Aaaa ? records.FindIpv6(q.Name) ?? []
                : [];
            ushort type = q.Type == DnsTypes.Aaaa ? DnsTypes.Aaaa : DnsTypes.A;
            return DnsCodec.BuildResponse(header, q, DnsTypes.NoError, type, answers, Ttl, maxSize);
        }

        if (records.IsAuthoritative(q.Name))
        {
            return DnsCodec.BuildResponse(header, q, DnsTypes.NameError, DnsTypes.A, [], Ttl, maxSize);
        }

        forward = true;
        return null;
    }

    /// <summary>SERVFAIL for a query that could not be forwarded (null when the query cannot be read at all).</summary>
    public static byte[]? ServerFailure(ReadOnlySpan<byte> message)
    {
        DnsCodec.ParseQuery(message, out DnsHeader header, out DnsQuestion? question);
        return question is null ? null : DnsCodec.BuildError(header, question, DnsTypes.ServerFailure);
    }
}
