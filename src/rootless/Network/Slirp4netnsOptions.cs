namespace Skiff.Rootless.Network;

/// <summary>How slirp4netns connects a container (podman's defaults unless changed).</summary>
public sealed record Slirp4netnsOptions
{
    /// <summary>slirp4netns's built-in addresses in its default 10.0.2.0/24 network.</summary>
    public const string Gateway = "10.0.2.2";

    public const string Dns = "10.0.2.3";

    public const string GuestAddress = "10.0.2.100";

    /// <summary>65520, podman's choice: the largest 802.3 frame payload, which makes slirp4netns much faster than 1500.</summary>
    public int Mtu { get; init; } = 65520;

    /// <summary>True (the default) keeps the host's 127.0.0.1 out of reach; false lets 10.0.2.2 reach it (podman: allow_host_loopback=true).</summary>
    public bool DisableHostLoopback { get; init; } = true;

    public bool EnableIpv6 { get; init; }

    /// <summary>The unix socket for add_hostfwd requests; required for published ports.</summary>
    public required string ApiSocket { get; init; }

    public IReadOnlyList<PortMapping> Ports { get; init; } = [];
}
