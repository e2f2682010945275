using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Rootless.Network;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff port CONTAINER [PRIVATE_PORT[/PROTO]]</c>: list the container's published ports, as docker does.</summary>
public static class PortCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var latest = LatestContainer.CreateOption();
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne, Description = "Container name or ID" };
        var port = new Argument<string?>("port") { Arity = ArgumentArity.ZeroOrOne, Description = "Private port (PORT[/PROTO])" };
        var command = new Command("port", "List port mappings or a specific mapping for the container") { latest, container, port };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerStore store = ContainerServices.Store(context);
            // With -l the first argument is the port (podman's).
            bool last = parse.GetValue(latest);
            string? target = last ? null : parse.GetValue(container);
            string? wanted = last ? parse.GetValue(container) : parse.GetValue(port);
            if (last && parse.GetValue(port) is not null)
            {
                throw SkiffException.InvalidArgument("you can only specify a container and a port, or --latest and a port");
            }

            ContainerConfig config = store.ReadConfig(LatestContainer.Resolve(store, last, target, "you must supply a running container name or id"));
            target ??= config.Name;
            if (wanted is null)
            {
                foreach (PublishedPort p in PortView.Sorted(config.Ports))
                {
                    context.Out.WriteLine($"{PortView.Key(p)} -> {PortView.HostEndpoint(p)}");
                }

                return ExitCodes.Success;
            }

            PortMapping spec = PortSpecParser.Parse(wanted);
            string key = $"{spec.ContainerPort}/{spec.ProtocolName}";
            var matches = PortView.Sorted(config.Ports).Where(p => PortView.Key(p) == key).ToList();
            if (matches.Count == 0 || spec.Count != 1 || spec.HostPort != 0)
            {
                throw SkiffException.NotFound($"No public port '{key}' published for {target}", "list the published ports with 'skiff port " + target + "'");
            }

            foreach (PublishedPort p in matches)
            {
                context.Out.WriteLine(PortView.HostEndpoint(p));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
