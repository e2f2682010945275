namespace Skiff.Rootless.Network;

public enum NetworkKind
{
    None,
    Host,
    Pasta,
    Slirp4netns,
}
