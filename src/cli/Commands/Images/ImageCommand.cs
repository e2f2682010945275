using System.CommandLine;
using Skiff.Cli.Commands.Registry;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff image SUBCOMMAND</c>: the docker-style group of image verbs.</summary>
public static class ImageCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("image", "Manage images");
        command.Subcommands.Add(ImagesCommand.Create(globals, "ls"));
        command.Subcommands.Add(ImageInspectCommand.Create(globals));
        command.Subcommands.Add(HistoryCommand.Create(globals));
        command.Subcommands.Add(TagCommand.Create(globals));
        command.Subcommands.Add(RmiCommand.Create(globals, "rm"));
        command.Subcommands.Add(ImagePruneCommand.Create(globals));
        command.Subcommands.Add(ImportCommand.Create(globals));
        command.Subcommands.Add(SaveCommand.Create(globals));
        command.Subcommands.Add(LoadCommand.Create(globals));
        command.Subcommands.Add(ImageMountCommand.Create(globals));
        command.Subcommands.Add(ImageUnmountCommand.Create(globals));
        command.Subcommands.Add(UntagCommand.Create(globals));
        command.Subcommands.Add(PullCommand.Create(globals));
        command.Subcommands.Add(BuildCommand.Create(globals));
        command.Subcommands.Add(PushCommand.Create(globals));
        command.Subcommands.Add(ExistsCommand.Create(globals, "image", (context, name) => ImageServices.Local(context).Images.TryResolve(name) is not null));
        command.Subcommands.Add(Containers.DiffCommand.Create(globals, Containers.DiffTarget.Image));
        return command;
    }
}
