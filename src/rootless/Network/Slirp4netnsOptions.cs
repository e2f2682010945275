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

    /// <summary>A descriptor slirp4netns writes to once the namespace is configured.</summary>
    public int? ReadyFd { get; init; }

    /// <summary>A descriptor whose closing (its writer gone) makes slirp4netns exit: it cannot outlive its owner.</summary>
    public int? ExitFd { get; init; }

    /// <summary>podman's slirp4netns:OPTIONS (allow_host_loopback=, mtu=, enable_ipv6=, port_handler=) applied to defaults.</summary>
    public static Slirp4netnsOptions FromModeOptions(IEnumerable<string> modeOptions, string apiSocket)
    {
        var options = new Slirp4netnsOptions { ApiSocket = apiSocket };
        foreach (string option in modeOptions)
        {
            string[] kv = option.Split('=', 2);
            string value = kv.Length == 2 ? kv[1] : string.Empty;
            options = kv[0] switch
            {
                "allow_host_loopback" => options with { DisableHostLoopback = !Bool(option, value) },
                "enable_ipv6" => options with { EnableIpv6 = Bool(option, value) },
                "mtu" when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int mtu) && mtu is >= 68 and <= 65521 => options with { Mtu = mtu },
                // Ports are always forwarded by slirp4netns itself; rootlesskit's port handler does not exist here.
                "port_handler" when value is "slirp4netns" or "rootlesskit" => options,
                _ => throw Skiff.Core.Errors.SkiffException.InvalidArgument(
                    $"unsupported slirp4netns option '{option}'",
                    "supported: allow_host_loopback=true|false, enable_ipv6=true|false, mtu=N, port_handler=slirp4netns"),
            };
        }

        return options;
    }

    private static bool Bool(string option, string value) => value switch
    {
        "true" => true,
        "false" => false,
        _ => throw Skiff.Core.Errors.SkiffException.InvalidArgument($"invalid slirp4netns option '{option}'", "use true or false"),
    };
}
