namespace Skiff.Rootless.Network;

/// <summary>What goes into a container's /etc/hosts, /etc/resolv.conf and /etc/hostname.</summary>
public sealed record EtcFilesOptions
{
    public required string Hostname { get; init; }

    /// <summary>The container's name (also resolvable inside, as podman does).</summary>
    public string? ContainerName { get; init; }

    /// <summary>The container's own address, when it has one other than loopback.</summary>
    public string? ContainerAddress { get; init; }

    /// <summary>The container's own IPv6 address on a dual-stack network: a second line for its names, as podman writes.</summary>
    public string? ContainerAddress6 { get; init; }

    /// <summary>Where host.containers.internal points; null leaves the entry out (--network none).</summary>
    public string? HostAddress { get; init; }

    public IReadOnlyList<HostEntry> ExtraHosts { get; init; } = [];

    /// <summary>The network helper's DNS forwarder; when null the host's servers (minus loopback ones) are used.</summary>
    public string? HelperDns { get; init; }

    public IReadOnlyList<string> Dns { get; init; } = [];

    /// <summary>The DNS servers of the container's networks (their gateways); before <see cref="HelperDns"/>, after --dns.</summary>
    public IReadOnlyList<string> NetworkNameservers { get; init; } = [];

    /// <summary>Search domains of the network's DNS server (<c>dns.podman</c>), listed before the host's or --dns-search's.</summary>
    public IReadOnlyList<string> NetworkSearch { get; init; } = [];

    public IReadOnlyList<string> DnsSearch { get; init; } = [];

    public IReadOnlyList<string> DnsOptions { get; init; } = [];
}
