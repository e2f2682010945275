using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Secrets;

/// <summary>
/// <c>skiff secret inspect [--format T] [--pretty] SECRET...</c>: podman-shaped JSON, never the value. Unknown
/// secrets are reported after the others are printed, and the command exits 125, as podman does.
/// </summary>
public static class SecretInspectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var names = new Argument<string[]>("secret") { Arity = ArgumentArity.OneOrMore, Description = "Secrets to inspect (names or ids)" };
        var format = new Option<string?>("--format", "-f") { Description = "Format inspect output using a Go template, or 'json'" };
        var pretty = new Option<bool>("--pretty") { Description = "Print inspect output in human-readable format" };
        var command = new Command("inspect", "Inspect a secret") { names, format, pretty };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            SecretStore secrets = ContainerServices.Secrets(context);
            var found = new List<SecretRecord>();
            var errors = new List<string>();
            foreach (string target in parse.GetValue(names) ?? [])
            {
                try
                {
                    found.Add(secrets.Get(target));
                }
                catch (Core.Errors.SkiffException e) when (e.Kind is Core.Errors.ErrorKind.NotFound or Core.Errors.ErrorKind.Conflict)
                {
                    errors.Add($"inspecting secret: {e.Message}");
                }
            }

            string? template = parse.GetValue(format);
            if (parse.GetValue(pretty))
            {
                found.ForEach(s => context.Out.Write(SecretView.Pretty(s)));
            }
            else if (string.IsNullOrWhiteSpace(template) || template.Trim() == "json")
            {
                context.Out.WriteLine(JsonOutput.Serialize(found.Select(s => (object?)SecretView.Inspect(s)).ToList(), indented: true));
            }
            else
            {
                OutputFormat output = OutputFormat.Parse(template, "{{json .}}", "inspect");
                found.ForEach(s => context.Out.Write(output.RenderOne(SecretView.Inspect(s))));
            }

            errors.ForEach(error => context.Error.WriteLine($"Error: {error}"));
            return errors.Count > 0 ? ExitCodes.EngineError : ExitCodes.Success;
        });
        return command;
    }
}
