namespace Skiff.Rootless.Network;

/// <summary>
/// One published port range: host <paramref name="HostPort"/>..+<paramref name="Count"/>-1 forwards to
/// container <paramref name="ContainerPort"/>..+<paramref name="Count"/>-1.
/// </summary>
/// <param name="HostIp">Address to bind on the host; null binds every address.</param>
/// <param name="HostPort">First host port; 0 until a free port is allocated.</param>
/// <param name="ContainerPort">First container port.</param>
/// <param name="Protocol">tcp or udp.</param>
/// <param name="Count">Number of consecutive ports (1 unless a range was given).</param>
public sealed record PortMapping(string? HostIp, int HostPort, int ContainerPort, PortProtocol Protocol, int Count = 1)
{
    public string ProtocolName => Protocol == PortProtocol.Tcp ? "tcp" : "udp";

    /// <summary>One mapping per port, as `skiff port` and inspect list them.</summary>
    public IEnumerable<PortMapping> Expand()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this with { HostPort = HostPort == 0 ? 0 : HostPort + i, ContainerPort = ContainerPort + i, Count = 1 };
        }
    }

    /// <summary>docker port's format: "80/tcp -> 0.0.0.0:8080".</summary>
    public override string ToString() => $"{ContainerPort}/{ProtocolName} -> {HostIp ?? "0.0.0.0"}:{HostPort}";
}
