using System.Text;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Applies <see cref="BridgeCommands"/> with ip and nft in the namespace that holds the bridges: the host's
/// (root; <paramref name="bridgeNetns"/> null) or the rootless network namespace (entered with nsenter,
/// which works because the caller is root in the user namespace owning it).
/// </summary>
public sealed class BridgePlumbing(IProcessRunner runner, BridgeTools tools, string? bridgeNetns)
{
    public void EnsureBridge(NetworkRecord network)
    {
        // A bridge left by a removed network of the same name may hold another subnet: it is replaced.
        string address = $"inet {Ipv4Subnet.FormatAddress(network.Gateway)}/{network.Subnet.PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture)} ";
        ExternalResult exists = Run(tools.Ip, ["-o", "-4", "addr", "show", "dev", network.NetworkInterface], null, bridgeNetns, check: false);
        if (exists.ExitCode != 0 || !exists.StandardOutput.Contains(address, StringComparison.Ordinal))
        {
            if (exists.ExitCode == 0)
            {
                Run(tools.Ip, ["link", "del", network.NetworkInterface], null, bridgeNetns, check: false);
            }

            Run(tools.Ip, ["-batch", "-"], BridgeCommands.BridgeBatch(network), bridgeNetns);
            Run(tools.Nft, ["-f", "-"], BridgeCommands.NftScript(network), bridgeNetns);
        }
    }

    /// <summary>Connects the container's namespace to the endpoint's bridge as the endpoint's interface; <paramref name="defaultRoute"/> routes through it.</summary>
    public void Attach(NetworkEndpoint endpoint, string veth, string containerNetns, bool defaultRoute, int? mtu = null)
    {
        Run(tools.Ip, ["-o", "link", "del", veth], null, bridgeNetns, check: false);
        Run(tools.Ip, ["-batch", "-"], BridgeCommands.VethBatch(endpoint, veth, containerNetns, mtu), bridgeNetns);
        Run(tools.Ip, ["-batch", "-"], BridgeCommands.ContainerBatch(endpoint, defaultRoute), containerNetns);
    }

    /// <summary>Whether the container's namespace has a default route now.</summary>
    public bool HasDefaultRoute(string containerNetns) =>
        Run(tools.Ip, ["-o", "-4", "route", "show", "default"], null, containerNetns, check: false).StandardOutput.Trim().Length > 0;

    public void AddDefaultRoute(NetworkEndpoint endpoint, string containerNetns) =>
        Run(tools.Ip, ["route", "replace", "default", "via", endpoint.Gateway, "dev", endpoint.InterfaceName], null, containerNetns, check: false);

    /// <summary>Removes the host-side veth (the kernel would, but only once the container's namespace is freed); never throws.</summary>
    public void Detach(string veth)
    {
        try
        {
            Run(tools.Ip, ["link", "del", veth], null, bridgeNetns, check: false);
        }
        catch (SkiffException)
        {
        }
    }

    /// <summary>Removes the bridge and the network's nft table; never throws.</summary>
    public void RemoveBridge(NetworkRecord network)
    {
        try
        {
            Run(tools.Ip, ["link", "del", network.NetworkInterface], null, bridgeNetns, check: false);
            Run(tools.Nft, ["-f", "-"], BridgeCommands.DeleteTableScript(network), bridgeNetns, check: false);
        }
        catch (SkiffException)
        {
        }
    }

    private ExternalResult Run(string program, IReadOnlyList<string> arguments, string? input, string? netns, bool check = true)
    {
        ExternalCommand command = netns is null
            ? new ExternalCommand(program, arguments)
            : new ExternalCommand(tools.Nsenter, ["--net=" + netns, "--", program, .. arguments]);
        command = command with
        {
            StandardInput = input is null ? null : Encoding.UTF8.GetBytes(input),
            Timeout = TimeSpan.FromSeconds(10),
        };
        ExternalResult result = runner.TryRunAsync(command).GetAwaiter().GetResult();
        if (check && result.ExitCode != 0)
        {
            throw SkiffException.Unavailable(
                $"could not set up the network ({Path.GetFileName(program)} {string.Join(' ', arguments)}): {result.StandardError.Trim()}",
                "root needs the bridge, veth and nf_tables kernel modules; 'skiff system check' says more");
        }

        return result;
    }
}
