using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Rootless.Network;

/// <summary>
/// A user-defined network as run/create's --network names it, <c>NAME[:OPTION,...]</c>, with podman's bridge
/// options: <c>alias=NAME</c> (repeatable), <c>ip=ADDRESS</c> (IPv4, or IPv6 as <c>ip6=</c>), <c>ip6=ADDRESS</c>,
/// <c>mac=MAC</c> and <c>interface_name=NAME</c>.
/// </summary>
public sealed record NetworkAttachment(string Network, EndpointRequest Request)
{
    /// <summary>The attachment of a parsed --network value of kind <see cref="NetworkKind.Bridge"/>.</summary>
    public static NetworkAttachment FromMode(NetworkMode mode)
    {
        string network = mode.Network!;
        var aliases = new List<string>();
        var request = new EndpointRequest();
        foreach (string option in mode.Options)
        {
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            string key = equals < 0 ? option : option[..equals];
            string value = equals < 0 ? string.Empty : option[(equals + 1)..];
            if (equals < 0 || value.Length == 0)
            {
                throw SkiffException.InvalidArgument(
                    $"invalid option for network {network}: {option}: expected KEY=VALUE",
                    "the options of a network are alias=, ip=, ip6=, mac= and interface_name=, e.g. --network NAME:ip=10.89.0.7,mac=92:d0:c6:0a:29:33");
            }

            request = key switch
            {
                "alias" => request,
                "ip" or "ip6" when key == "ip6" || value.Contains(':', StringComparison.Ordinal) => request with { Address6 = value },
                "ip" => request with { Address = value },
                "mac" => request with { MacAddress = Bridge.MacAddress.Parse(value) },
                "interface_name" => request with { InterfaceName = ValidInterfaceName(value, network) },
                _ => throw SkiffException.InvalidArgument(
                    $"invalid option for network {network}: unknown bridge network option: {key}",
                    "the options of a network are alias=, ip=, ip6=, mac= and interface_name="),
            };
            if (key == "alias")
            {
                aliases.Add(value);
            }
        }

        return new NetworkAttachment(network, request with { Aliases = aliases });
    }

    /// <summary>A name the kernel takes for a network device (at most 15 bytes, no '/', ':' or white space, not "." or "..").</summary>
    private static string ValidInterfaceName(string name, string network)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(name) > 15 || name is "." or ".." || name.Any(c => c is '/' or ':' || char.IsWhiteSpace(c)))
        {
            throw SkiffException.InvalidArgument(
                $"invalid option for network {network}: interface_name {name} is not a valid interface name",
                "an interface name has at most 15 characters and no '/', ':' or spaces, e.g. interface_name=net1");
        }

        return name;
    }
}
