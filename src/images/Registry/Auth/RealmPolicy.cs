using System.Net;
using System.Net.Sockets;
using Skiff.Core.Errors;

namespace Skiff.Images.Registry.Auth;

/// <summary>
/// Decides whether skiff may follow a registry's <c>WWW-Authenticate</c> realm. A hostile or compromised
/// registry can point the realm anywhere, and the token request carries the user's password, so:
/// the realm must be http(s); plain http is accepted only on the registry's own host when the registry
/// itself is plain http (no downgrade, no cleartext to a third party); and a realm on a loopback,
/// private or link-local address is refused unless the registry itself is on such an address (no
/// pivoting into the user's local network).
/// </summary>
public sealed class RealmPolicy(Func<string, CancellationToken, Task<IPAddress[]>> resolve)
{
    public static RealmPolicy System { get; } = new(async (host, ct) => await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false));

    /// <summary>Throws a permission error explaining why <paramref name="realm"/> may not be used for <paramref name="registry"/>.</summary>
    public async Task CheckAsync(Uri registry, string realmText, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(realmText, UriKind.Absolute, out Uri? realm) || realm.Scheme is not ("https" or "http"))
        {
            throw Refuse(registry, realmText, "it is not an http(s) URL");
        }

        bool sameHost = string.Equals(realm.IdnHost, registry.IdnHost, StringComparison.OrdinalIgnoreCase);
        if (realm.Scheme == "http" && (!sameHost || registry.Scheme != "http"))
        {
            throw Refuse(registry, realmText, sameHost
                ? "it is plain http while the registry uses https"
                : "it is plain http on another host, so credentials and tokens would cross the network unencrypted");
        }

        if (sameHost)
        {
            return;
        }

        IReadOnlySet<AddressClass> realmClasses = await ClassesAsync(realm.IdnHost, cancellationToken).ConfigureAwait(false);
        var local = realmClasses.Where(c => c != AddressClass.Public).ToList();
        if (local.Count == 0)
        {
            return;
        }

        IReadOnlySet<AddressClass> registryClasses = await ClassesAsync(registry.IdnHost, cancellationToken).ConfigureAwait(false);
        AddressClass? foreign = local.Cast<AddressClass?>().FirstOrDefault(c => !registryClasses.Contains(c!.Value));
        if (foreign is AddressClass denied)
        {
            throw Refuse(registry, realmText, $"it points to a {Describe(denied)} address that the registry itself does not use");
        }
    }

    private async Task<IReadOnlySet<AddressClass>> ClassesAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new HashSet<AddressClass> { AddressClass.Loopback };
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out IPAddress? literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await resolve(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                // Unresolvable: the request would fail anyway and cannot reach a local address.
                return new HashSet<AddressClass>();
            }
        }

        return addresses.Select(Classify).ToHashSet();
    }

    public static AddressClass Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return AddressClass.Loopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            byte[] b = address.GetAddressBytes();
            return b[0] switch
            {
                10 => AddressClass.Private,
                172 when b[1] is >= 16 and <= 31 => AddressClass.Private,
                192 when b[1] == 168 => AddressClass.Private,
                100 when b[1] is >= 64 and <= 127 => AddressClass.Private,
                169 when b[1] == 254 => AddressClass.LinkLocal,
                0 => AddressClass.Loopback,
                _ => AddressClass.Public,
            };
        }

        if (address.IsIPv6LinkLocal)
        {
            return AddressClass.LinkLocal;
        }

        if (address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal)
        {
            return AddressClass.Private;
        }

        return address.Equals(IPAddress.IPv6Any) ? AddressClass.Loopback : AddressClass.Public;
    }

    private static string Describe(AddressClass c) => c switch
    {
        AddressClass.Loopback => "loopback",
        AddressClass.Private => "private-network",
        AddressClass.LinkLocal => "link-local",
        _ => "public",
    };

    private static SkiffException Refuse(Uri registry, string realm, string reason) => new(
        ErrorKind.PermissionDenied,
        $"refusing to authenticate to {registry.Authority}: its token realm \"{realm}\" is not trusted: {reason}",
        "the registry's authentication setup is unsafe or the registry is not who it claims; contact its owner");
}
