using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// <c>skiff network rm [-f] NETWORK...</c>. As podman: an unknown network exits 1, a network that containers
/// use is refused with exit 2, and -f removes those containers first.
/// </summary>
public static class NetworkRmCommand
{
    /// <summary>podman's exit status for "network is being used".</summary>
    public const int InUseExitCode = 2;

    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("network") { Arity = ArgumentArity.OneOrMore, Description = "Networks to remove (name or ID)" };
        var force = new Option<bool>("--force", "-f") { Description = "Remove the containers that use the network, then the network" };
        var time = new Option<int?>("--time", "-t") { Description = "Seconds to wait for running containers to stop before killing them (accepted for podman compatibility)" };
        var command = new Command("rm", "Remove one or more networks") { names, force, time };
        command.Aliases.Add("remove");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            NetworkStore networks = ContainerServices.Networks(context);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var users = new NetworkUsers(lifecycle.Store);
            int exit = ExitCodes.Success;
            foreach (string target in parse.GetValue(names) ?? [])
            {
                try
                {
                    NetworkRecord network = networks.Find(target);
                    IReadOnlyList<string> containers = users.Of(network);
                    if (containers.Count > 0 && !parse.GetValue(force))
                    {
                        context.Error.WriteLine($"Error: \"{network.Name}\" has associated containers with it. Use -f to forcibly delete containers and pods: network is being used");
                        exit = InUseExitCode;
                        continue;
                    }

                    foreach (string id in containers)
                    {
                        lifecycle.Remove(id, force: true);
                    }

                    using (networks.Lock())
                    {
                        // A container created meanwhile keeps the network.
                        if (users.Of(network).Count > 0)
                        {
                            context.Error.WriteLine($"Error: \"{network.Name}\" has associated containers with it: network is being used");
                            exit = InUseExitCode;
                            continue;
                        }

                        NetworkRemover.Remove(networks, network, context.User, context.Events);
                    }

                    context.Out.WriteLine(network.Name);
                }
                catch (SkiffException e)
                {
                    context.Error.WriteLine($"Error: {e.Message}");
                    exit = exit == InUseExitCode ? exit : e.Kind == ErrorKind.NotFound ? 1 : ExitCodes.EngineError;
                }
            }

            return exit;
        });
        return command;
    }
}
