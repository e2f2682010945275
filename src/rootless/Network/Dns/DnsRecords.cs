using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// The names of one network's containers and their addresses, read from the network's records file (lines
/// of <c>ADDRESS NAME...</c>, as the peer lines of the hosts files; a container on a dual-stack network has
/// an IPv4 and an IPv6 line). Lookups ignore case (DNS names do) and accept the <see cref="SearchDomain"/>
/// suffix containers get in their resolv.conf.
/// </summary>
public sealed class DnsRecords
{
    public const string SearchDomain = "dns.podman";

    private readonly Dictionary<string, List<byte[]>> addresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<byte[]>> addresses6 = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);

    public static DnsRecords Empty { get; } = new();

    public static DnsRecords Parse(string text)
    {
        var records = new DnsRecords();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0].StartsWith('#') || !IPAddress.TryParse(fields[0], out IPAddress? address)
                || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6) || fields[0].Contains('%'))
            {
                continue;
            }

            byte[] bytes = address.GetAddressBytes();
            Dictionary<string, List<byte[]>> byName = bytes.Length == 4 ? records.addresses : records.addresses6;
            foreach (string name in fields.Skip(1))
            {
                if (!byName.TryGetValue(name, out List<byte[]>? list))
                {
                    byName[name] = list = [];
                }

                if (!list.Any(a => a.AsSpan().SequenceEqual(bytes)))
                {
                    list.Add(bytes);
                }
            }

            records.names.TryAdd(ReverseName(bytes), fields[1]);
        }

        return records;
    }

    /// <summary>Whether the name is ours to answer: a container's, or anything under <see cref="SearchDomain"/>.</summary>
    public bool IsAuthoritative(string name) => IsKnown(name) || IsInSearchDomain(name);

    /// <summary>Whether a container has the name (an IPv4 or an IPv6 address for it).</summary>
    public bool IsKnown(string name) => Find(name) is not null || FindIpv6(name) is not null;

    /// <summary>The IPv4 addresses of a container name, alias or short id; null when unknown.</summary>
    public IReadOnlyList<byte[]>? Find(string name) => addresses.TryGetValue(Bare(name), out List<byte[]>? found) ? found : null;

    /// <summary>The IPv6 addresses of a container name, alias or short id (containers on dual-stack networks); null when none.</summary>
    public IReadOnlyList<byte[]>? FindIpv6(string name) => addresses6.TryGetValue(Bare(name), out List<byte[]>? found) ? found : null;

    /// <summary>The container name for a reverse lookup (<c>4.3.2.1.in-addr.arpa</c>, or the 32 nibbles under <c>ip6.arpa</c>), or null.</summary>
    public string? FindReverse(string name) =>
        names.TryGetValue(name.ToLowerInvariant().TrimEnd('.'), out string? found) ? found : null;

    private static string Bare(string name)
    {
        string bare = name.EndsWith('.') ? name[..^1] : name;
        return IsInSearchDomain(bare) && bare.Length > SearchDomain.Length ? bare[..^(SearchDomain.Length + 1)] : bare;
    }

    private static bool IsInSearchDomain(string name) =>
        name.Equals(SearchDomain, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + SearchDomain, StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 1035 3.5 (in-addr.arpa) and RFC 3596 2.5 (ip6.arpa: the nibbles in reverse, lower-case hex).</summary>
    private static string ReverseName(byte[] address)
    {
        if (address.Length == 4)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{address[3]}.{address[2]}.{address[1]}.{address[0]}.in-addr.arpa");
        }

        var text = new StringBuilder(64 + "ip6.arpa".Length);
        for (int i = address.Length - 1; i >= 0; i--)
        {
            text.Append("0123456789abcdef"[address[i] & 0xf]).Append('.').Append("0123456789abcdef"[address[i] >> 4]).Append('.');
        }

        return text.Append("ip6.arpa").ToString();
    }
}
