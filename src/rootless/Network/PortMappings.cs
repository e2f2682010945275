using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network;

/// <summary>Converts between the parser's port mappings and the ports a container record stores.</summary>
public static class PortMappings
{
    public static IReadOnlyList<PublishedPort> ToPublished(IEnumerable<PortMapping> mappings) =>
        mappings.SelectMany(m => m.Expand()).Select(m => new PublishedPort
        {
            HostIp = m.HostIp ?? string.Empty,
            HostPort = m.HostPort,
            ContainerPort = m.ContainerPort,
            Protocol = m.ProtocolName,
        }).ToList();

    public static IReadOnlyList<PortMapping> FromPublished(IEnumerable<PublishedPort> ports) =>
        ports.Select(p => new PortMapping(
            p.HostIp.Length == 0 ? null : p.HostIp,
            p.HostPort,
            p.ContainerPort,
            p.Protocol == "udp" ? PortProtocol.Udp : PortProtocol.Tcp)).ToList();
}
