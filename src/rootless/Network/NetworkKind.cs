namespace Skiff.Rootless.Network;

public enum NetworkKind
{
    None,
    Host,
    Pasta,
    Slirp4netns,

    /// <summary>A user-defined network: a Linux bridge with a veth per container.</summary>
    Bridge,
}
