using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network;

/// <summary>Converts between the parser's port mappings and the ports a container record stores.</summary>
public static class PortMappings
{
    // Loops, not SelectMany(...).Select(...): LINQ's Select on an iterator is a generic virtual method, which
    // NativeAOT resolves through its type loader on the first call, on every `run`'s path (perf).
    public static IReadOnlyList<PublishedPort> ToPublished(IEnumerable<PortMapping> mappings)
    {
        var ports = new List<PublishedPort>();
        foreach (PortMapping mapping in mappings)
        {
            foreach (PortMapping m in mapping.Expand())
            {
                ports.Add(new PublishedPort
                {
                    HostIp = m.HostIp ?? string.Empty,
                    HostPort = m.HostPort,
                    ContainerPort = m.ContainerPort,
                    Protocol = m.ProtocolName,
                });
            }
        }

        return ports;
    }

    public static IReadOnlyList<PortMapping> FromPublished(IEnumerable<PublishedPort> ports) =>
        ports.Select(p => new PortMapping(
            p.HostIp.Length == 0 ? null : p.HostIp,
            p.HostPort,
            p.ContainerPort,
            p.Protocol == "udp" ? PortProtocol.Udp : PortProtocol.Tcp)).ToList();
}
