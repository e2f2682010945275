using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// <c>--sysctl KEY=VALUE</c> as podman takes it: only the namespaced sysctls a container may change (IPC ones,
/// <c>fs.mqueue.*</c>, and <c>net.*</c> when it has a network namespace of its own), plus podman's default
/// <c>net.ipv4.ping_group_range=0 0</c>, which lets every user in the container ping without NET_RAW.
/// </summary>
public static class ContainerSysctls
{
    /// <summary>containers.conf's default_sysctls: unprivileged ICMP echo sockets for all groups inside.</summary>
    public const string PingGroupRange = "net.ipv4.ping_group_range";

    /// <summary>The floor of TCP's retransmission timeout (kernel 6.11 and later), per network namespace.</summary>
    public const string TcpRtoMin = "net.ipv4.tcp_rto_min_us";

    /// <summary>
    /// <see cref="TcpRtoMin"/> for a container on pasta: 5 ms instead of the kernel's 200 ms. pasta ends the
    /// container's TCP connections itself, so the container's every TCP peer is microseconds away over the tap
    /// device. This passt (2023) drops data from the container that the host socket cannot take yet and does
    /// not do SACK, so the container recovers only by retransmission timeout: at 200 ms, doubled on each
    /// repeat, one such drop stalled a 100 MB download from a published port for 0.2 to 6 s (bench/net.sh).
    /// </summary>
    public const string PastaTcpRtoMin = "5000";

    private static readonly HashSet<string> IpcKeys = new(StringComparer.Ordinal)
    {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
    };

    /// <summary>The flags' sysctls, validated; later flags win as in docker.</summary>
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string> flags, string networkMode, string ipcMode = "")
    {
        bool sharedIpc = ipcMode == "host" || ipcMode.StartsWith("container:", StringComparison.Ordinal) || ipcMode.StartsWith("ns:", StringComparison.Ordinal);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string flag in flags)
        {
            int equals = flag.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw SkiffException.InvalidArgument($"--sysctl {flag}: not in the format KEY=VALUE", "e.g. --sysctl net.ipv4.ip_forward=1");
            }

            string key = flag[..equals].Trim();
            bool network = key.StartsWith("net.", StringComparison.Ordinal);
            if (!network && !IpcKeys.Contains(key) && !key.StartsWith("fs.mqueue.", StringComparison.Ordinal))
            {
                throw SkiffException.InvalidArgument(
                    $"sysctl \"{key}\" is not allowed",
                    "only namespaced sysctls can be set for a container: net.*, fs.mqueue.* and kernel.msg*/sem/shm*");
            }

            if (network && !OwnNetwork(networkMode))
            {
                throw SkiffException.InvalidArgument(
                    $"sysctl \"{key}\" cannot be set with --network {networkMode}",
                    $"net.* sysctls need a network namespace of the container's own; drop --network {networkMode}");
            }

            if (!network && sharedIpc)
            {
                // podman's wording.
                throw SkiffException.InvalidArgument(
                    $"sysctl \"{key}\" is not allowed since the IPC namespace is set to {ipcMode}",
                    "IPC sysctls need an IPC namespace of the container's own; drop --ipc " + ipcMode);
            }

            result[key] = flag[(equals + 1)..];
        }

        return result;
    }

    /// <summary>Whether the container has a network namespace of its own (not the host's, another container's or a file's).</summary>
    public static bool OwnNetwork(string networkMode) =>
        networkMode != "host" && !networkMode.StartsWith("container:", StringComparison.Ordinal) && !networkMode.StartsWith("ns:", StringComparison.Ordinal);

    /// <summary>What the bundle sets: the defaults for the container's namespaces, then the user's.</summary>
    public static IReadOnlyDictionary<string, string> ForBundle(ContainerConfig config)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        // The range is in the container's gids: without a gid 0 in its map the kernel would refuse "0 0".
        if (OwnNetwork(config.NetworkMode) && (config.IdMappings is null || config.IdMappings.HostGid(0) is not null))
        {
            result[PingGroupRange] = "0 0";
        }

        if ((config.NetworkMode == "pasta" || config.NetworkMode.StartsWith("pasta:", StringComparison.Ordinal)) && File.Exists("/proc/sys/net/ipv4/tcp_rto_min_us"))
        {
            result[TcpRtoMin] = PastaTcpRtoMin;
        }

        foreach ((string key, string value) in config.Sysctls)
        {
            result[key] = value;
        }

        return result;
    }
}
