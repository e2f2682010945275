using System.Net;

namespace Skiff.Rootless.Network.Dns;

/// <summary>
/// Where the responder forwards names it does not know: the servers it was given (the network's
/// <c>network_dns_servers</c>, or pasta's forwarder rootless), else the nameservers of the host's
/// resolv.conf, read again when that file changes. The responder runs in the host's network namespace as
/// root, so a loopback resolver there (systemd-resolved's 127.0.0.53) works too.
/// </summary>
public sealed class DnsUpstreams(IReadOnlyList<IPEndPoint> given, string resolvConf = "/etc/resolv.conf")
{
    public const int Port = 53;

    private DateTime loadedWrite;
    private IReadOnlyList<IPEndPoint> fromFile = [];

    public IReadOnlyList<IPEndPoint> Current()
    {
        if (given.Count > 0)
        {
            return given;
        }

        var info = new FileInfo(resolvConf);
        if (info.Exists && info.LastWriteTimeUtc != loadedWrite)
        {
            try
            {
                fromFile = Parse(File.ReadAllText(resolvConf));
                loadedWrite = info.LastWriteTimeUtc;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return fromFile;
    }

    /// <summary>An address, or an address with a port (<c>ADDRESS:PORT</c>, <c>[V6]:PORT</c>); port 53 when none is given.</summary>
    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        if (IPAddress.TryParse(text, out IPAddress? address))
        {
            endpoint = new IPEndPoint(address, Port);
            return true;
        }

        if (IPEndPoint.TryParse(text, out IPEndPoint? parsed) && parsed.Port != 0)
        {
            endpoint = parsed;
            return true;
        }

        endpoint = new IPEndPoint(IPAddress.None, 0);
        return false;
    }

    public static IReadOnlyList<IPEndPoint> Parse(string resolvConfText)
    {
        var servers = new List<IPEndPoint>();
        foreach (string line in resolvConfText.Split('\n'))
        {
            string[] fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out IPAddress? address))
            {
                servers.Add(new IPEndPoint(address, Port));
            }
        }

        return servers;
    }
}
