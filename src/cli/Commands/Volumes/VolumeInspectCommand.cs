using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary>
/// <c>skiff volume inspect [--format T] [-a] NAME...</c>: podman-shaped JSON. Unknown volumes are reported
/// after the others are printed, and the command exits 125, as podman does.
/// </summary>
public static class VolumeInspectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("volume") { Arity = ArgumentArity.ZeroOrMore, Description = "Volumes to inspect" };
        var format = new Option<string?>("--format", "-f") { Description = "Format the output using a Go template, or 'json'" };
        var all = new Option<bool>("--all", "-a") { Description = "Inspect all volumes" };
        var command = new Command("inspect", "Display detailed information on one or more volumes") { names, format, all };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            VolumeStore volumes = ContainerServices.Volumes(context);
            string[] targets = parse.GetValue(all) ? volumes.List().Select(v => v.Name).ToArray() : parse.GetValue(names) ?? [];
            if (targets.Length == 0 && !parse.GetValue(all))
            {
                throw SkiffException.InvalidArgument("provide one or more volume names or use --all");
            }

            var found = new List<object?>();
            var errors = new List<string>();
            foreach (string target in targets)
            {
                if (volumes.TryGet(target) is VolumeRecord record)
                {
                    found.Add(VolumeView.Build(record, volumes, 0));
                }
                else
                {
                    errors.Add($"inspecting object: no such volume {target}");
                }
            }

            string? template = parse.GetValue(format);
            if (string.IsNullOrWhiteSpace(template) || template.Trim() == "json")
            {
                context.Out.WriteLine(JsonOutput.Serialize(found, indented: true));
            }
            else
            {
                OutputFormat output = OutputFormat.Parse(template, "{{json .}}", "inspect");
                found.ForEach(item => context.Out.Write(output.RenderOne(item)));
            }

            errors.ForEach(error => context.Error.WriteLine($"Error: {error}"));
            return errors.Count > 0 ? ExitCodes.EngineError : ExitCodes.Success;
        });
        return command;
    }
}
