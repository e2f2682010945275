using System.CommandLine;
using Skiff.Rootless.Network;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>run/create's network flags besides --network (docker's and podman's names): ports, DNS, hosts.</summary>
public sealed class NetworkFlags
{
    public Option<string[]> Publish { get; } = new("--publish", "-p") { Description = "Publish a container's port, or a range of ports, to the host ([IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL])" };

    public Option<bool> PublishAll { get; } = new("--publish-all", "-P") { Description = "Publish all exposed ports to random ports on the host interfaces" };

    public Option<string[]> Expose { get; } = new("--expose") { Description = "Expose a port or a range of ports" };

    public Option<string[]> Dns { get; } = new("--dns") { Description = "Set custom DNS servers" };

    public Option<string[]> DnsSearch { get; } = new("--dns-search") { Description = "Set custom DNS search domains" };

    public Option<string[]> DnsOption { get; } = new("--dns-option", "--dns-opt") { Description = "Set DNS options" };

    public Option<string[]> AddHost { get; } = new("--add-host") { Description = "Add a custom host-to-IP mapping (host:ip)" };

    public Option<bool> NoHosts { get; } = new("--no-hosts") { Description = "Do not create /etc/hosts within the container, instead use the version from the image" };

    public Option<string[]> NetworkAlias { get; } = new("--network-alias") { Description = "Add a network-scoped alias for the container" };

    public Option<string?> Ip { get; } = new("--ip") { Description = "Specify a static IPv4 address for the container (one user-defined network only)" };

    public Option<string?> Ip6 { get; } = new("--ip6") { Description = "Specify a static IPv6 address for the container (one user-defined dual-stack network only)" };

    public Option<string?> Mac { get; } = new("--mac-address") { Description = "Container network interface MAC address (e.g. 92:d0:c6:0a:29:33; one user-defined network only)" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Publish, PublishAll, Expose, Dns, DnsSearch, DnsOption, AddHost, NoHosts, NetworkAlias, Ip, Ip6, Mac })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The network part of a new container: the mode (given, or the default for this user), published ports
    /// with free host ports allocated now, and the DNS and hosts settings, all validated.
    /// </summary>
    public ContainerConfig Apply(ParseResult parse, ContainerConfig config, NetworkSelection? selection, IReadOnlyList<string> imageExposedPorts)
    {
        string? network = selection?.Mode;
        NetworkMode mode = network is null ? DefaultMode() : NetworkMode.Parse(network);
        var mappings = (parse.GetValue(Publish) ?? []).Select(PortSpecParser.Parse).ToList();
        if (parse.GetValue(PublishAll))
        {
            var exposed = imageExposedPorts.Concat(parse.GetValue(Expose) ?? []).ToList();
            mappings.AddRange(PortSpecParser.FromExposed(exposed)
                .Where(e => !mappings.Any(m => m.Protocol == e.Protocol && e.ContainerPort >= m.ContainerPort && e.ContainerPort < m.ContainerPort + m.Count)));
        }
        else
        {
            foreach (string expose in parse.GetValue(Expose) ?? [])
            {
                PortSpecParser.Parse(expose);
            }
        }

        if (mode.Joins)
        {
            CheckJoined(parse);
        }

        if (mappings.Count > 0 && (mode.Kind is NetworkKind.None or NetworkKind.Host || mode.Joins))
        {
            throw Skiff.Core.Errors.SkiffException.InvalidArgument(
                $"cannot publish ports with --network {mode}",
                mode.Joins
                    ? "publish the ports on the container whose network namespace this one joins"
                    : "publish ports with --network pasta or slirp4netns (the default), or reach the service directly with --network host");
        }

        if (mode.Kind != NetworkKind.Bridge && (parse.GetValue(NetworkAlias) ?? []).Length > 0)
        {
            throw Skiff.Core.Errors.SkiffException.InvalidArgument(
                "--network-alias can only be used with user-defined networks",
                "create a network with 'skiff network create NAME' and run with --network NAME");
        }

        foreach ((Option<string?> option, string create) in new[] { (Ip, "NAME"), (Ip6, "--ipv6 NAME"), (Mac, "NAME") })
        {
            if (parse.GetValue(option) is not null && mode.Kind != NetworkKind.Bridge)
            {
                throw Skiff.Core.Errors.SkiffException.InvalidArgument(
                    $"{option.Name} can only be used with a user-defined network",
                    $"create a network with 'skiff network create {create}' and run with --network NAME {option.Name} ADDRESS");
            }

            if (parse.GetValue(option) is not null && selection!.Networks.Count > 1)
            {
                throw Skiff.Core.Errors.SkiffException.InvalidArgument($"{option.Name} can only be set for a single network: invalid argument");
            }
        }

        if (parse.GetValue(Mac) is { } mac)
        {
            MacAddress.Parse(mac);
        }

        string[] hosts = parse.GetValue(AddHost) ?? [];
        bool noHosts = parse.GetValue(NoHosts);
        if (noHosts && hosts.Length > 0)
        {
            throw Skiff.Core.Errors.SkiffException.InvalidArgument("--no-hosts and --add-host cannot be set together", "leave out --add-host, or --no-hosts to have the entries written");
        }

        foreach (string host in hosts)
        {
            HostEntry.Parse(host);
        }

        string[] dns = parse.GetValue(Dns) ?? [];
        foreach (string server in dns)
        {
            if (!global::System.Net.IPAddress.TryParse(server, out _))
            {
                throw Skiff.Core.Errors.SkiffException.InvalidArgument($"{server} is not an ip address", "give --dns an IPv4 or IPv6 address");
            }
        }

        if (mode.Kind == NetworkKind.Slirp4netns)
        {
            Slirp4netnsOptions.FromModeOptions(mode.Options, "-");
        }

        return config with
        {
            NetworkMode = network is null ? mode.ToString() : network,
            Ports = PortMappings.ToPublished(PortSpecParser.AllocateHostPorts(mappings)),
            PublishAll = parse.GetValue(PublishAll),
            Dns = dns,
            DnsSearch = parse.GetValue(DnsSearch) ?? [],
            DnsOptions = parse.GetValue(DnsOption) ?? [],
            ExtraHosts = hosts,
            NoHosts = noHosts,
        };
    }

    /// <summary>
    /// What the container asks of its endpoint on <paramref name="attachment"/>'s network: the --network value's own
    /// options first, then the flags (--network-alias on every network, as podman; --ip, --ip6 and --mac-address on
    /// the only one, which <see cref="Apply"/> checked).
    /// </summary>
    public EndpointRequest Request(ParseResult parse, NetworkAttachment attachment) => attachment.Request with
    {
        Aliases = [.. attachment.Request.Aliases, .. parse.GetValue(NetworkAlias) ?? []],
        Address = attachment.Request.Address ?? parse.GetValue(Ip),
        Address6 = attachment.Request.Address6 ?? parse.GetValue(Ip6),
        MacAddress = attachment.Request.MacAddress ?? (parse.GetValue(Mac) is { } mac ? MacAddress.Parse(mac) : null),
    };

    /// <summary>
    /// A container that joins another's network namespace has that one's DNS settings and hosts file: podman's
    /// refusals (exit 125) of the flags that would change them.
    /// </summary>
    private void CheckJoined(ParseResult parse)
    {
        if ((parse.GetValue(Dns)?.Length ?? 0) + (parse.GetValue(DnsSearch)?.Length ?? 0) + (parse.GetValue(DnsOption)?.Length ?? 0) > 0)
        {
            throw Skiff.Core.Errors.SkiffException.InvalidArgument(
                "conflicting options: dns and the network mode: container",
                "set the DNS servers on the container whose network this one joins");
        }

        if ((parse.GetValue(AddHost)?.Length ?? 0) > 0)
        {
            throw Skiff.Core.Errors.SkiffException.InvalidArgument(
                "invalid config provided: cannot set extra host entries when the container is joined to another containers network namespace: invalid configuration",
                "give --add-host to the container whose network this one joins");
        }
    }

    /// <summary>pasta when installed, else slirp4netns (podman 5's rootless default; root gets the same), else none.</summary>
    /// <summary>
    /// The network a run's monitor, prepared before the container exists, may connect ahead of it
    /// (IContainerNetwork.PrepareEarly): "pasta" when the container will use plain pasta (given or the
    /// default) with no published ports, else null. The monitor checks the container's configuration before
    /// it uses what it started, so a wrong guess costs time, never a wrong network.
    /// </summary>
    public string? EarlyHint(ParseResult parse, string[]? networks)
    {
        if ((parse.GetValue(Publish)?.Length ?? 0) > 0 || parse.GetValue(PublishAll))
        {
            return null;
        }

        try
        {
            string? network = NetworkSelection.Parse(networks)?.Mode;
            return (network is null ? DefaultMode() : NetworkMode.Parse(network)) is { Kind: NetworkKind.Pasta, Options.Count: 0 } ? "pasta" : null;
        }
        catch (Skiff.Core.Errors.SkiffException)
        {
            return null; // create reports the bad value
        }
    }

    public static NetworkMode DefaultMode() => new(NetworkHelpers.Find().DefaultKind, []);
}
