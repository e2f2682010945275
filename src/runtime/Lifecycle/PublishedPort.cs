namespace Skiff.Runtime.Lifecycle;

/// <summary>One published port of a container (ranges are stored expanded): host address and port to container port.</summary>
public sealed record PublishedPort
{
    /// <summary>The host address bound; empty binds every address.</summary>
    public string HostIp { get; init; } = string.Empty;

    public int HostPort { get; init; }

    public int ContainerPort { get; init; }

    /// <summary>tcp or udp.</summary>
    public string Protocol { get; init; } = "tcp";
}
