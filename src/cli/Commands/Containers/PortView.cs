using System.Globalization;
using Skiff.Cli.Output;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Published ports as docker prints them: `port` lines, the ps PORTS column and inspect's port maps.</summary>
public static class PortView
{
    /// <summary>"80/tcp".</summary>
    public static string Key(PublishedPort p) => $"{Num(p.ContainerPort)}/{p.Protocol}";

    /// <summary>"0.0.0.0:8080" (an unspecified address prints as 0.0.0.0, IPv6 in brackets).</summary>
    public static string HostEndpoint(PublishedPort p)
    {
        string ip = p.HostIp.Length == 0 ? "0.0.0.0" : p.HostIp;
        return (ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]" : ip) + ":" + Num(p.HostPort);
    }

    public static IEnumerable<PublishedPort> Sorted(IEnumerable<PublishedPort> ports) =>
        ports.OrderBy(p => p.Protocol, StringComparer.Ordinal).ThenBy(p => p.ContainerPort).ThenBy(p => p.HostIp, StringComparer.Ordinal);

    /// <summary>docker ps: "0.0.0.0:8080->80/tcp, 127.0.0.1:9000-9001->9000-9001/tcp", consecutive ports folded into ranges.</summary>
    public static string Column(IReadOnlyList<PublishedPort> ports)
    {
        if (ports.Count == 0)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        List<PublishedPort> sorted = Sorted(ports).ToList();
        for (int i = 0; i < sorted.Count;)
        {
            PublishedPort first = sorted[i];
            int j = i + 1;
            while (j < sorted.Count
                && sorted[j].Protocol == first.Protocol && sorted[j].HostIp == first.HostIp
                && sorted[j].ContainerPort == first.ContainerPort + (j - i) && sorted[j].HostPort == first.HostPort + (j - i))
            {
                j++;
            }

            PublishedPort last = sorted[j - 1];
            string host = HostEndpoint(first) + (j - i > 1 ? "-" + Num(last.HostPort) : string.Empty);
            string container = Num(first.ContainerPort) + (j - i > 1 ? "-" + Num(last.ContainerPort) : string.Empty);
            parts.Add($"{host}->{container}/{first.Protocol}");
            i = j;
        }

        return string.Join(", ", parts);
    }

    /// <summary>
    /// inspect's {"80/tcp": [{"HostIp": "...", "HostPort": "8080"}]}. The address is as the user gave it, an
    /// unspecified one "" in NetworkSettings.Ports too, as podman prints it (docker writes 0.0.0.0 there).
    /// </summary>
    public static TemplateMap Map(IReadOnlyList<PublishedPort> ports)
    {
        var map = new TemplateMap();
        foreach (IGrouping<string, PublishedPort> group in Sorted(ports).GroupBy(Key))
        {
            map[group.Key] = group.Select(p => (object?)new TemplateObject("define.InspectHostPort") { ["HostIp"] = p.HostIp, ["HostPort"] = Num(p.HostPort) }).ToList();
        }

        return map;
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
