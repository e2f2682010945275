using System.CommandLine;
using System.Text.Json.Nodes;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff container inspect [--format T] CONTAINER...</c>: docker-shaped JSON.</summary>
public static class InspectCommand
{
    public static Command Create(GlobalOptions globals, string name = "inspect")
    {
        var format = new Option<string?>("--format", "-f") { Description = "Format the output using the given Go template" };
        var size = new Option<bool>("--size", "-s") { Description = "Display total file size" };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.OneOrMore };
        var command = new Command(name, "Display detailed information on one or more containers") { format, size, containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var documents = new List<string>();
            int exit = ContainerServices.ForEach(context, parse.GetValue(containers)!, target =>
            {
                string id = lifecycle.Store.TryResolve(target)
                    ?? throw SkiffException.NotFound($"no such object: \"{target}\"");
                ContainerConfig config = lifecycle.Store.ReadConfig(id);
                ContainerState state = lifecycle.Observe(id);
                documents.Add(ContainerView.Encode(json => ContainerView.WriteInspect(json, config, state, lifecycle.Store)));
            });
            string? template = parse.GetValue(format);
            if (template is null || template == "json")
            {
                context.Out.WriteLine(documents.Count == 0 ? "[]" : "[\n" + string.Join(",\n", documents.Select(d => Indent(d))) + "\n]");
            }
            else
            {
                string body = SimpleTemplate.Body(template);
                foreach (string document in documents)
                {
                    context.Out.WriteLine(SimpleTemplate.Render(body, JsonNode.Parse(document)));
                }
            }

            return exit;
        });
        return command;
    }

    private static string Indent(string document) => "     " + document.Replace("\n", "\n     ", StringComparison.Ordinal);
}
