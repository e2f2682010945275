using System.CommandLine;
using Skiff.Images.Local;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff rmi [-f] IMAGE...</c> (and <c>skiff image rm</c>): untags or deletes each image, reporting every failure.</summary>
public static class RmiCommand
{
    public static Command Create(GlobalOptions globals, string name = "rmi")
    {
        var images = new Argument<string[]>("image") { Arity = ArgumentArity.ZeroOrMore, Description = "Images to remove (name or id)" };
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image (every name of an image given by id)" };
        var all = new Option<bool>("--all", "-a") { Description = "Remove all images" };
        var command = new Command(name, "Remove one or more images from local storage") { images, force, all };
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            LocalImages local = ImageServices.Local(context);
            IReadOnlyList<string> targets = parseResult.GetValue(images) ?? [];
            if (parseResult.GetValue(all))
            {
                targets = local.Images.List().Select(i => i.Id).ToList();
            }
            else if (targets.Count == 0)
            {
                throw Skiff.Core.Errors.SkiffException.InvalidArgument("image name or ID must be specified", "skiff rmi IMAGE [IMAGE...]");
            }

            RemovalReport report = new ImageRemover(local, ImageServices.Users(context)).Remove(targets, parseResult.GetValue(force) || parseResult.GetValue(all));
            if (report.DeletedIds.Count > 0)
            {
                ImageServices.SweepMappedCopies(context);
            }

            foreach (string line in report.Lines)
            {
                context.Out.WriteLine(line);
            }

            foreach ((string _, Exception error) in report.Errors)
            {
                context.Error.WriteLine($"Error: {error.Message}");
            }

            if (report.Errors.Count == 1 && report.Errors[0].Error is Skiff.Core.Errors.SkiffException { Hint: { } hint })
            {
                context.Error.WriteLine($"Hint: {hint}");
            }

            return report.Errors.Count == 0 ? ExitCodes.Success : ExitCodes.EngineError;
        });
        return command;
    }
}
