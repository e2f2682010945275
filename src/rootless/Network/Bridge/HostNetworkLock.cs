using Skiff.Runtime.Fds;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// As root, the bridges of every store live in the host's one network namespace: this machine-wide lock
/// serializes choosing a new network's bridge name and subnet (which avoid the host's links and routes) and
/// creating its bridge, so two stores creating networks at the same time cannot pick the same ones.
/// </summary>
public static class HostNetworkLock
{
    public const string DefaultPath = "/run/skiff/networks.lock";

    public static DescriptorLock Acquire(string path = DefaultPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return DescriptorLock.Acquire(path);
    }
}
