using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Images.Local;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// <c>skiff image inspect IMAGE...</c>: docker-shaped JSON array, or <c>--format</c> applied to each
/// image. Unknown images are reported (one <c>Error:</c> line each) after the others are printed; exit 125.
/// </summary>
public static class ImageInspectCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var images = new Argument<string[]>("image") { Arity = ArgumentArity.OneOrMore, Description = "Images to inspect (name or id)" };
        var format = new Option<string?>("--format", "-f") { Description = "Format the output using a Go template, or 'json'" };
        var command = new Command("inspect", "Display the configuration of one or more images") { images, format };
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            return Run(context, parseResult.GetValue(images)!, parseResult.GetValue(format));
        });
        return command;
    }

    /// <summary>Shared with a generic <c>skiff inspect</c> that falls back to images.</summary>
    public static int Run(CliContext context, IReadOnlyList<string> targets, string? format)
    {
        OutputFormat? template = string.IsNullOrWhiteSpace(format) || format.Trim() == "json" ? null : OutputFormat.Parse(format, "{{json .}}", "inspect");
        LocalImages local = ImageServices.Local(context);
        var found = new List<object?>();
        var errors = new List<(string, Exception)>();
        foreach (string target in targets)
        {
            try
            {
                found.Add(ImageInspectView.Build(local.Resolve(target), local));
            }
            catch (Skiff.Core.Errors.SkiffException e)
            {
                errors.Add((target, e));
            }
        }

        if (template is null)
        {
            context.Out.WriteLine(JsonOutput.Serialize(found, indented: true, indentSize: JsonOutput.InspectIndent));
        }
        else
        {
            context.Out.Write(template.RenderInspect(found));
        }

        foreach ((string target, Exception error) in errors)
        {
            context.Error.WriteLine($"Error: {error.Message}");
        }

        return errors.Count == 0 ? ExitCodes.Success : ExitCodes.EngineError;
    }
}
