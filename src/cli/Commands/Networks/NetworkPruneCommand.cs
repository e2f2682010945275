using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary><c>skiff network prune [-f] [--filter F]</c>: removes the networks no container uses and prints their names.</summary>
public static class NetworkPruneCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (name, id, driver, label, until)" };
        var command = new Command("prune", "Remove all unused networks") { force, filter };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            NetworkFilter networkFilter = NetworkFilter.Parse(parse.GetValue(filter) ?? [], DateTimeOffset.UtcNow);
            Prune(context, networkFilter, name => context.Out.WriteLine(name));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Removes every network no container uses that matches <paramref name="filter"/>, calling <paramref name="removed"/> with each name.</summary>
    internal static void Prune(CliContext context, NetworkFilter filter, Action<string> removed)
    {
        NetworkStore networks = ContainerServices.Networks(context);
        var users = new NetworkUsers(ContainerServices.Store(context));
        using (networks.Lock())
        {
            foreach (NetworkRecord network in networks.List().Where(filter.Matches))
            {
                if (users.Of(network).Count == 0)
                {
                    NetworkRemover.Remove(networks, network, context.User, context.Events);
                    removed(network.Name);
                }
            }
        }
    }
}
