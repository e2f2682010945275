using System.Net;
using System.Text;

namespace Skiff.Rootless.Network;

/// <summary>Generates the network files a container gets bind-mounted (the runtime engineer's spec mounts them).</summary>
public static class EtcFiles
{
    public static string Hosts(EtcFilesOptions o)
    {
        var text = new StringBuilder();
        text.Append("127.0.0.1\tlocalhost localhost.localdomain localhost4 localhost4.localdomain4\n");
        text.Append("::1\tlocalhost localhost.localdomain localhost6 localhost6.localdomain6\n");
        foreach (HostEntry entry in o.ExtraHosts)
        {
            string address = entry.Address == HostEntry.HostGateway ? o.HostAddress ?? "127.0.0.1" : entry.Address;
            text.Append(address).Append('\t').Append(entry.Name).Append('\n');
        }

        if (o.HostAddress is not null)
        {
            text.Append(o.HostAddress).Append("\thost.containers.internal host.docker.internal\n");
        }

        string names = o.ContainerName is not null && o.ContainerName != o.Hostname ? $"{o.Hostname} {o.ContainerName}" : o.Hostname;
        text.Append(o.ContainerAddress ?? "127.0.1.1").Append('\t').Append(names).Append('\n');
        if (o.ContainerAddress6 is not null)
        {
            text.Append(o.ContainerAddress6).Append('\t').Append(names).Append('\n');
        }

        return text.ToString();
    }

    public static string Hostname(EtcFilesOptions o) => o.Hostname + "\n";

    /// <param name="o">The container's settings.</param>
    /// <param name="hostResolvConf">The host's /etc/resolv.conf text.</param>
    public static string ResolvConf(EtcFilesOptions o, string hostResolvConf)
    {
        var servers = new List<string>();
        var search = new List<string>();
        var options = new List<string>();
        foreach (string raw in hostResolvConf.Split('\n'))
        {
            string[] fields = raw.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[0].StartsWith('#') || fields[0].StartsWith(';'))
            {
                continue;
            }

            switch (fields[0])
            {
                case "nameserver":
                    servers.Add(fields[1]);
                    break;
                case "search":
                    search = fields.Skip(1).ToList();
                    break;
                case "options":
                    options.AddRange(fields.Skip(1));
                    break;
            }
        }

        List<string> chosen;
        if (o.Dns.Count > 0)
        {
            chosen = o.Dns.ToList();
        }
        else if (o.NetworkNameservers.Count > 0)
        {
            chosen = o.NetworkNameservers.ToList();
        }
        else if (o.HelperDns is not null)
        {
            chosen = [o.HelperDns];
        }
        else
        {
            // A loopback resolver on the host (systemd-resolved's 127.0.0.53) is unreachable from the container.
            chosen = servers.Where(s => !IsLoopback(s)).ToList();
            if (chosen.Count == 0)
            {
                chosen = ["8.8.8.8", "8.8.4.4"];
            }
        }

        var text = new StringBuilder();
        List<string> searchDomains = o.NetworkSearch.Concat(o.DnsSearch.Count > 0 ? o.DnsSearch.Where(s => s != ".") : search).Distinct(StringComparer.Ordinal).ToList();
        if (searchDomains.Count > 0)
        {
            text.Append("search ").Append(string.Join(' ', searchDomains)).Append('\n');
        }

        foreach (string server in chosen)
        {
            text.Append("nameserver ").Append(server).Append('\n');
        }

        List<string> opts = o.DnsOptions.Count > 0 ? o.DnsOptions.ToList() : options;
        if (opts.Count > 0)
        {
            text.Append("options ").Append(string.Join(' ', opts)).Append('\n');
        }

        return text.ToString();
    }

    private static bool IsLoopback(string address) =>
        IPAddress.TryParse(address.Split('%')[0], out IPAddress? ip) && IPAddress.IsLoopback(ip);
}
