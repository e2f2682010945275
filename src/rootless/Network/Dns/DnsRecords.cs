using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// The names of one network's containers and their addresses, read from the network's records file (lines
/// of <c>ADDRESS NAME...</c>, as the peer lines of the hosts files). Lookups ignore case (DNS names do) and
/// accept the <see cref="SearchDomain"/> suffix containers get in their resolv.conf.
/// </summary>
public sealed class DnsRecords
{
    public const string SearchDomain = "dns.podman";

    private readonly Dictionary<string, List<byte[]>> addresses = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);

    public static DnsRecords Empty { get; } = new();

    public static DnsRecords Parse(string text)
    {
        var records = new DnsRecords();
        foreach (string line in text.Split('\n'))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0].StartsWith('#')
                || !IPAddress.TryParse(fields[0], out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetwork)
            {
                continue;
            }

            byte[] bytes = address.GetAddressBytes();
            foreach (string name in fields.Skip(1))
            {
                if (!records.addresses.TryGetValue(name, out List<byte[]>? list))
                {
                    records.addresses[name] = list = [];
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
    public bool IsAuthoritative(string name) => Find(name) is not null || IsInSearchDomain(name);

    /// <summary>The IPv4 addresses of a container name, alias or short id; null when unknown.</summary>
    public IReadOnlyList<byte[]>? Find(string name)
    {
        string bare = name.EndsWith('.') ? name[..^1] : name;
        if (IsInSearchDomain(bare) && bare.Length > SearchDomain.Length)
        {
            bare = bare[..^(SearchDomain.Length + 1)];
        }

        return addresses.TryGetValue(bare, out List<byte[]>? found) ? found : null;
    }

    /// <summary>The container name for a reverse lookup (<c>4.3.2.1.in-addr.arpa</c>), or null.</summary>
    public string? FindReverse(string name) =>
        names.TryGetValue(name.ToLowerInvariant().TrimEnd('.'), out string? found) ? found : null;

    private static bool IsInSearchDomain(string name) =>
        name.Equals(SearchDomain, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + SearchDomain, StringComparison.OrdinalIgnoreCase);

    private static string ReverseName(byte[] address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address[3]}.{address[2]}.{address[1]}.{address[0]}.in-addr.arpa");
}
