using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary>
/// <c>skiff network inspect [--format T] NETWORK...</c>: podman's network JSON. Unknown networks are reported
/// after the others are printed and the command exits 125, as podman does.
/// </summary>
public static class NetworkInspectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("network") { Arity = ArgumentArity.OneOrMore, Description = "Networks to inspect (name or ID)" };
        var format = new Option<string?>("--format", "-f") { Description = "Format the output using a Go template, or 'json'" };
        var command = new Command("inspect", "Display detailed information on one or more networks") { names, format };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            NetworkStore networks = ContainerServices.Networks(context);
            var found = new List<NetworkRecord>();
            var errors = new List<string>();
            foreach (string target in parse.GetValue(names) ?? [])
            {
                if (networks.TryFind(target) is NetworkRecord record)
                {
                    found.Add(record);
                }
                else
                {
                    errors.Add(NetworkStore.NotFoundError(target).Message);
                }
            }

            string? template = parse.GetValue(format);
            if (string.IsNullOrWhiteSpace(template) || template.Trim() == "json")
            {
                context.Out.WriteLine(JsonOutput.Serialize(found.Select(r => (object?)NetworkView.Inspect(r)).ToList(), indented: true));
            }
            else
            {
                OutputFormat output = OutputFormat.Parse(template, "{{json .}}", "inspect");
                found.ForEach(record => context.Out.Write(output.RenderOne(NetworkView.Template(record))));
            }

            errors.ForEach(error => context.Error.WriteLine($"Error: {error}"));
            return errors.Count > 0 ? ExitCodes.EngineError : ExitCodes.Success;
        });
        return command;
    }
}
