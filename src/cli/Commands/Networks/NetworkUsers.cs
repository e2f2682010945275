using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Networks;

/// <summary>Which containers are on a network (stored ones with an address on it, running or not).</summary>
public sealed class NetworkUsers(ContainerStore containers)
{
    public IReadOnlyList<string> Of(NetworkRecord network)
    {
        var ids = new List<string>();
        foreach (string id in containers.ListIds())
        {
            try
            {
                if (containers.ReadConfig(id).NetworkEndpoints.Any(e => e.NetworkId == network.Id))
                {
                    ids.Add(id);
                }
            }
            catch (Exception e) when (e is IOException or SkiffException)
            {
            }
        }

        return ids;
    }
}
