using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network;

/// <summary>
/// Writes a container's /etc/hosts and /etc/resolv.conf (the files the bundle bind-mounts) for its network
/// mode: the helper's resolver for slirp4netns, the host's servers for pasta (its DNS forwarder when the host
/// only has a loopback resolver), and host.containers.internal where the host is reachable.
/// </summary>
public static class ContainerEtcFiles
{
    /// <summary>
    /// <see cref="Write"/> with what this machine gives: the container's hostname (or its short id), the host's
    /// addresses and the host's /etc/resolv.conf, as create writes the files and network connect rewrites them.
    /// </summary>
    public static void WriteFromHost(string directory, ContainerConfig config, bool rootless)
    {
        NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
        if (mode.Kind == NetworkKind.Container)
        {
            // The bundle binds the other container's files, as podman shares them.
            return;
        }

        Write(
            directory,
            config,
            BundleWriter.HostnameOf(config),
            // --network none has no host entry: skip the interface scan (netlink and /proc/sys reads per interface).
            mode.Kind is NetworkKind.None or NetworkKind.NamespacePath ? new HostAddresses(null, null) : HostAddresses.Detect(),
            File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf") : string.Empty,
            rootless);
    }

    public static void Write(string directory, ContainerConfig config, string hostname, HostAddresses host, string hostResolvConf, bool rootless = false)
    {
        NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
        if (mode.Kind == NetworkKind.Host)
        {
            // The host's own files, as docker and podman do with --network host (plus --add-host entries).
            string hosts = File.Exists("/etc/hosts") ? File.ReadAllText("/etc/hosts") : string.Empty;
            hosts += string.Concat(config.ExtraHosts.Select(HostEntry.Parse).Select(e => $"{(e.Address == HostEntry.HostGateway ? "127.0.0.1" : e.Address)}\t{e.Name}\n"));
            File.WriteAllText(Path.Combine(directory, "hosts"), hosts);
            File.WriteAllText(Path.Combine(directory, "resolv.conf"), config.Dns.Count + config.DnsSearch.Count + config.DnsOptions.Count == 0
                ? hostResolvConf
                : EtcFiles.ResolvConf(Options(config, hostname, mode, host, hostResolvConf), hostResolvConf));
            return;
        }

        EtcFilesOptions options = Options(config, hostname, mode, host, hostResolvConf, rootless);
        string hostsPath = Path.Combine(directory, "hosts");
        // A running container's peers stay listed while its own part is rewritten (network connect): one write, no gap.
        File.WriteAllText(hostsPath, mode.Kind == NetworkKind.Bridge ? Bridge.NetworkHostsFile.WithPeersOf(EtcFiles.Hosts(options), hostsPath) : EtcFiles.Hosts(options));
        File.WriteAllText(Path.Combine(directory, "resolv.conf"), EtcFiles.ResolvConf(options, hostResolvConf));
    }

    public static EtcFilesOptions Options(ContainerConfig config, string hostname, NetworkMode mode, HostAddresses host, string hostResolvConf, bool rootless = false)
    {
        string? hostAddress = null;
        string? containerAddress = null;
        string? containerAddress6 = null;
        string? helperDns = null;
        IReadOnlyList<string> networkSearch = [];
        IReadOnlyList<string> networkNameservers = [];
        switch (mode.Kind)
        {
            case NetworkKind.Pasta:
                // pasta gives the container the host's own address, so the host is only reachable through the
                // gateway address, and only when mapped to the host (--map-gw); otherwise the name points at the
                // host's address as podman does.
                hostAddress = mode.Options.Contains("--map-gw") ? host.Gateway ?? host.Address : host.Address;
                containerAddress = host.Address;
                // Queries sent straight to the host's servers were lost with this pasta (2023-03); its DNS forwarder works.
                helperDns = PastaOptions.DefaultDnsForward;
                break;
            case NetworkKind.Bridge:
                // The first network's address is the container's own name; the peers are added by the bridge connector.
                containerAddress = config.NetworkEndpoints.FirstOrDefault()?.IPAddress;
                containerAddress6 = config.NetworkEndpoints.FirstOrDefault()?.Ipv6Address;
                // Rootless, the bridge lives in the rootless network namespace, where pasta maps its gateway address
                // to the host; as root the bridge's own address is the host. DNS: pasta's forwarder, or the host's servers.
                hostAddress = rootless ? host.Gateway ?? config.NetworkEndpoints.FirstOrDefault()?.Gateway : config.NetworkEndpoints.FirstOrDefault()?.Gateway;
                helperDns = rootless ? PastaOptions.DefaultDnsForward : null;
                // The networks' DNS servers on their gateways answer the peers' names and forward the rest (podman's
                // aardvark-dns); a dual-stack network's listens on its IPv6 gateway too, listed after the IPv4 one.
                networkNameservers = config.NetworkEndpoints.Where(e => e.DnsEnabled)
                    .SelectMany(e => e.Ipv6Gateway is { } gateway6 && e.Ipv6Address is not null ? [e.Gateway, gateway6] : new[] { e.Gateway })
                    .Distinct(StringComparer.Ordinal).ToList();
                networkSearch = networkNameservers.Count > 0 ? [Dns.DnsRecords.SearchDomain] : [];

                break;
            case NetworkKind.Slirp4netns:
                bool loopback = Slirp4netnsOptions.FromModeOptions(mode.Options, "-").DisableHostLoopback == false;
                hostAddress = loopback ? Slirp4netnsOptions.Gateway : host.Address ?? Slirp4netnsOptions.Gateway;
                containerAddress = Slirp4netnsOptions.GuestAddress;
                helperDns = Slirp4netnsOptions.Dns;
                break;
        }

        return new EtcFilesOptions
        {
            Hostname = hostname,
            ContainerName = config.Name,
            ContainerAddress = containerAddress,
            ContainerAddress6 = containerAddress6,
            HostAddress = hostAddress,
            ExtraHosts = config.ExtraHosts.Select(HostEntry.Parse).ToList(),
            HelperDns = helperDns,
            Dns = config.Dns,
            DnsSearch = config.DnsSearch,
            DnsOptions = config.DnsOptions,
            NetworkSearch = networkSearch,
            NetworkNameservers = networkNameservers,
        };
    }
}
