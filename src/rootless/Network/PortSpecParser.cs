using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>Parses -p/--publish ([IP:][HOSTPORT:]CONTAINERPORT[/tcp|/udp], ranges) and -P's EXPOSE list.</summary>
public static class PortSpecParser
{
    private const string Hint = "use [IP:][HOSTPORT:]CONTAINERPORT[/tcp|/udp], e.g. -p 127.0.0.1:8080:80 or -p 5000-5001:5000-5001/udp";

    public static PortMapping Parse(string spec)
    {
        string text = spec.Trim();
        PortProtocol protocol = PortProtocol.Tcp;
        int slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            protocol = text[(slash + 1)..].ToLowerInvariant() switch
            {
                "tcp" => PortProtocol.Tcp,
                "udp" => PortProtocol.Udp,
                _ => throw SkiffException.InvalidArgument($"invalid protocol in port spec '{spec}'", "the protocol is tcp or udp"),
            };
            text = text[..slash];
        }

        string? ip = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
            {
                throw Invalid(spec);
            }

            ip = text[1..close];
            text = text[(close + 2)..];
        }

        string[] parts = text.Split(':');
        string? hostPart;
        string containerPart;
        switch (parts.Length)
        {
            case 1:
                hostPart = null;
                containerPart = parts[0];
                break;
            case 2:
                hostPart = parts[0];
                containerPart = parts[1];
                break;
            case 3 when ip is null:
                ip = parts[0];
                hostPart = parts[1];
                containerPart = parts[2];
                break;
            default:
                throw Invalid(spec);
        }

        if (ip is not null)
        {
            // IPAddress also takes legacy forms such as "1.2.3" or "10"; docker does not.
            bool dotted = ip.Contains(':', StringComparison.Ordinal) || ip.Count(c => c == '.') == 3;
            if (!dotted || !IPAddress.TryParse(ip, out IPAddress? address))
            {
                throw SkiffException.InvalidArgument($"invalid IP address '{ip}' in port spec '{spec}'", Hint);
            }

            ip = address.ToString();
        }

        (int containerStart, int containerCount) = ParseRange(containerPart, spec);
        int hostStart = 0;
        if (!string.IsNullOrEmpty(hostPart))
        {
            (hostStart, int hostCount) = ParseRange(hostPart, spec);
            if (hostCount != containerCount)
            {
                throw SkiffException.InvalidArgument(
                    $"port ranges in '{spec}' differ in length ({hostCount} host ports, {containerCount} container ports)",
                    "give host and container ranges of the same length");
            }
        }

        return new PortMapping(ip, hostStart, containerStart, protocol, containerCount);
    }

    /// <summary>-P: every exposed port ("80/tcp", "53/udp", "8080") to a host port chosen later.</summary>
    public static IReadOnlyList<PortMapping> FromExposed(IEnumerable<string> exposedPorts) =>
        exposedPorts.Select(p => Parse(p) with { HostIp = null, HostPort = 0 }).ToList();

    /// <summary>Gives each mapping without a host port a free port of the host (bound and released, as docker does).</summary>
    public static IReadOnlyList<PortMapping> AllocateHostPorts(IEnumerable<PortMapping> mappings)
    {
        var result = new List<PortMapping>();
        foreach (PortMapping mapping in mappings)
        {
            if (mapping.HostPort != 0)
            {
                result.Add(mapping);
                continue;
            }

            foreach (PortMapping single in mapping.Expand())
            {
                result.Add(single with { HostPort = FreePort(single) });
            }
        }

        return result;
    }

    private static int FreePort(PortMapping mapping)
    {
        IPAddress address = mapping.HostIp is null ? IPAddress.Any : IPAddress.Parse(mapping.HostIp);
        using var socket = mapping.Protocol == PortProtocol.Tcp
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private static (int Start, int Count) ParseRange(string text, string spec)
    {
        string[] bounds = text.Split('-');
        if (bounds.Length is < 1 or > 2 || !TryPort(bounds[0], out int start))
        {
            throw Invalid(spec);
        }

        int end = start;
        if (bounds.Length == 2 && (!TryPort(bounds[1], out end) || end < start))
        {
            throw Invalid(spec);
        }

        return (start, end - start + 1);
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;

    private static SkiffException Invalid(string spec) => SkiffException.InvalidArgument($"invalid port spec '{spec}'", Hint);
}
