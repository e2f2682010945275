using System.CommandLine;
using Skiff.Images.Archives;
using Skiff.Images.Local;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff load [-i FILE] [-q]</c>: images from a docker-archive or oci-archive (plain or gzip/zstd/xz/bzip2).</summary>
public static class LoadCommand
{
    public static Command Create(GlobalOptions globals, string name = "load")
    {
        var input = new Option<string?>("--input", "-i") { Description = "Read from an archive file, instead of standard input" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the progress output" };
        var command = new Command(name, "Load image(s) from a tar archive") { input, quiet };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            string path = parseResult.GetValue(input) ?? "-";
            if (path == "-" && !Console.IsInputRedirected)
            {
                throw Skiff.Core.Errors.SkiffException.InvalidArgument("cannot read an archive from a terminal", "use -i FILE or redirect standard input");
            }

            LocalImages local = ImageServices.Local(context);
            // Shared hold: a concurrent prune or system check --repair must not take the blobs and scratch
            // files written before the image record exists for debris.
            using IDisposable inUse = StorageServices.Layers(context).HoldForUse();
            IReadOnlyList<LoadedImage> loaded;
            using (Stream stream = ImportCommand.Open(path))
            {
                loaded = await new ArchiveLoader(local, ImageServices.Temporary(context)).LoadAsync(stream, cancellationToken);
            }

            foreach (LoadedImage image in loaded)
            {
                // podman 4.3's status for an image that came from an archive.
                ImageEvents.Record(context, "loadfromarchive", image.Image.Id, image.Names.Count > 0 ? image.Names[0] : path);
                if (image.Names.Count == 0)
                {
                    context.Out.WriteLine($"Loaded image ID: {image.Image.Id}");
                }

                foreach (string loadedName in image.Names)
                {
                    context.Out.WriteLine($"Loaded image: {loadedName}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
