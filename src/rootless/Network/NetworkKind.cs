namespace Skiff.Rootless.Network;

public enum NetworkKind
{
    None,
    Host,
    Pasta,
    Slirp4netns,

    /// <summary>A user-defined network: a Linux bridge with a veth per container.</summary>
    Bridge,

    /// <summary>container:ID: the network namespace of another container (<see cref="NetworkMode.Network"/> names it).</summary>
    Container,

    /// <summary>ns:PATH: the network namespace bound at a path (<see cref="NetworkMode.Network"/>).</summary>
    NamespacePath,
}
