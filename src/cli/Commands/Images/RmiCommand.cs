using System.CommandLine;
using Skiff.Images.Local;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff rmi [-f] [-i] [--no-prune] IMAGE...</c> (and <c>skiff image rm</c>): untags or deletes each image, reporting every failure.</summary>
public static class RmiCommand
{
    /// <summary>podman's exit status when one of the images did not exist.</summary>
    public const int MissingExitCode = 1;

    /// <summary>podman's exit status when a container uses one of the images.</summary>
    public const int InUseExitCode = 2;

    public static Command Create(GlobalOptions globals, string name = "rmi")
    {
        var images = new Argument<string[]>("image") { Arity = ArgumentArity.ZeroOrMore, Description = "Images to remove (name or id)" };
        var force = new Option<bool>("--force", "-f") { Description = "Force removal of the image (every name of an image given by id)" };
        var all = new Option<bool>("--all", "-a") { Description = "Remove all images" };
        var ignore = new Option<bool>("--ignore", "-i") { Description = "Ignore errors if a specified image does not exist" };
        // skiff records no parent images (it builds none), so an image's removal never leaves dangling parents to prune.
        var noPrune = new Option<bool>("--no-prune") { Description = "Do not remove dangling images (skiff keeps no parent images: nothing to prune)" };
        var command = new Command(name, "Remove one or more images from local storage") { images, force, all, ignore, noPrune };
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

            IReadOnlyDictionary<string, string> idsByName = ImageEvents.IdsByName(local);
            RemovalReport report = new ImageRemover(local, ImageServices.Users(context)).Remove(targets, parseResult.GetValue(force) || parseResult.GetValue(all));
            if (parseResult.GetValue(ignore))
            {
                report.Errors.RemoveAll(e => e.Error is Skiff.Core.Errors.SkiffException { Kind: Skiff.Core.Errors.ErrorKind.NotFound });
            }

            ImageEvents.RecordRemoval(context, report.Lines, idsByName);
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

            return ExitCode(report);
        });
        return command;
    }

    /// <summary>podman-rmi(1)'s exit status: 2 when a container uses an image, 1 when an image did not exist, 125 for other failures.</summary>
    public static int ExitCode(RemovalReport report)
    {
        if (report.Errors.Count == 0)
        {
            return ExitCodes.Success;
        }

        if (report.InUse.Count > 0)
        {
            return InUseExitCode;
        }

        return report.Errors.Any(e => e.Error is Skiff.Core.Errors.SkiffException { Kind: Skiff.Core.Errors.ErrorKind.NotFound }) ? MissingExitCode : ExitCodes.EngineError;
    }
}
