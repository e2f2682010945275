namespace Skiff.Rootless.Network;

/// <summary>How pasta connects a container's network namespace (podman's defaults unless changed).</summary>
public sealed record PastaOptions
{
    /// <summary>The address inside the container whose DNS queries pasta forwards to the host's resolver.</summary>
    public const string DefaultDnsForward = "169.254.1.1";

    public IReadOnlyList<PortMapping> Ports { get; init; } = [];

    public string? DnsForward { get; init; } = DefaultDnsForward;

    /// <summary>
    /// False passes --no-map-gw: the gateway address is the real gateway and the host's loopback is out of
    /// reach, podman's default. True lets the container reach services on the host's 127.0.0.1 through the
    /// gateway address (podman: --network pasta:--map-gw).
    /// </summary>
    public bool MapGatewayToHost { get; init; }

    /// <summary>Where pasta writes its own pid after it moved to the background, so it can be stopped with the container.</summary>
    public required string PidFile { get; init; }

    /// <summary>pasta's --runas: inside skiff's user namespace "0:0" keeps it the user itself instead of nobody.</summary>
    public string? RunAs { get; init; }

    /// <summary>
    /// The descriptor number, in pasta, of a tap device skiff made and configured (<see cref="PastaTap"/>): pasta
    /// gets it with --fd instead of making its own tap and configuring the namespace (--config-net).
    /// </summary>
    public int? TapDescriptor { get; init; }

    /// <summary>Options given by the user after "pasta:" (comma-separated, as podman takes them).</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
