using System.Net;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>One --add-host entry: HOST:IP (docker also takes HOST=IP; "host-gateway" means the host).</summary>
public sealed record HostEntry(string Name, string Address)
{
    public const string HostGateway = "host-gateway";

    public static HostEntry Parse(string text)
    {
        int separator = text.IndexOf('=', StringComparison.Ordinal);
        if (separator < 0)
        {
            separator = text.IndexOf(':', StringComparison.Ordinal);
        }

        if (separator <= 0 || separator == text.Length - 1)
        {
            throw SkiffException.InvalidArgument($"invalid --add-host '{text}'", "use HOST:IP, e.g. --add-host db:10.0.0.5 or --add-host myhost:host-gateway");
        }

        string name = text[..separator];
        string address = text[(separator + 1)..].Trim('[', ']');
        if (address != HostGateway && !IPAddress.TryParse(address, out _))
        {
            throw SkiffException.InvalidArgument($"invalid IP address '{address}' in --add-host '{text}'");
        }

        return new HostEntry(name, address);
    }
}
