using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Images.Archives;
using Skiff.Images.Local;
using Skiff.Images.References;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// <c>skiff save [-o FILE] [--format docker-archive|oci-archive] [-m] IMAGE...</c>. Several images are always saved as
/// separate images (podman's <c>--multi-image-archive</c>; podman 4.3 without it saves the first image under every name given).
/// </summary>
public static class SaveCommand
{
    public static Command Create(GlobalOptions globals, string name = "save")
    {
        var images = new Argument<string[]>("image") { Arity = ArgumentArity.OneOrMore, Description = "Images to save (name or id)" };
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of standard output" };
        var format = new Option<string>("--format") { Description = "Archive format", DefaultValueFactory = _ => "docker-archive" };
        format.AcceptOnlyFromAmong("docker-archive", "oci-archive");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the output" };
        var multi = new Option<bool>("--multi-image-archive", "-m") { Description = "Interpret additional arguments as images not tags and create a multi-image-archive (only for docker-archive)" };
        var command = new Command(name, "Save image(s) to an archive") { images, output, format, quiet, multi };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            if (parseResult.GetValue(multi) && parseResult.GetValue(format) != "docker-archive")
            {
                throw SkiffException.InvalidArgument($"unsupported format \"{parseResult.GetValue(format)}\" for saving multiple images (only docker-archive)");
            }

            LocalImages local = ImageServices.Local(context);
            var saved = new List<SavedImage>();
            foreach (string target in parseResult.GetValue(images)!)
            {
                ImageRecord image = local.Resolve(target);
                saved.Add(new SavedImage(image, NamesFor(target, image)));
            }

            string? path = parseResult.GetValue(output);
            if (path is null && !Console.IsOutputRedirected)
            {
                throw SkiffException.InvalidArgument("refusing to save to a terminal", "use the -o flag or redirect the output");
            }

            SaveFormat saveFormat = parseResult.GetValue(format) == "oci-archive" ? SaveFormat.OciArchive : SaveFormat.DockerArchive;
            // Shared hold: a concurrent prune or system check --repair leaves the scratch space alone.
            using IDisposable inUse = StorageServices.Layers(context).HoldForUse();
            var writer = new ArchiveWriter(local, ImageServices.Temporary(context));
            if (path is null)
            {
                await using Stream stdout = new Output.StandardStream(1);
                await writer.WriteAsync(stdout, saved, saveFormat, cancellationToken);
                RecordSaved(context, saved, parseResult.GetValue(images)!);
                return ExitCodes.Success;
            }

            string temp = path + $".skiff-{Environment.ProcessId}.tmp";
            try
            {
                await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    await writer.WriteAsync(file, saved, saveFormat, cancellationToken);
                }

                File.Move(temp, path, overwrite: true);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException)
            {
                throw SkiffException.InvalidArgument($"cannot write {path}: {IoErrorText.Reason(e) ?? e.Message}");
            }
            finally
            {
                File.Delete(temp);
            }

            RecordSaved(context, saved, parseResult.GetValue(images)!);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Saved by name: that name; by id: no name (as docker does).</summary>
    private static IReadOnlyList<string> NamesFor(string target, ImageRecord image)
    {
        if (image.Names.Count == 0 || image.Id.AsSpan(7).StartsWith(target.Replace("sha256:", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal))
        {
            return [];
        }

        if (ImageReference.TryParse(target, out ImageReference? reference, out _) && reference.Digest is null)
        {
            string tag = reference.TagOrDefault ?? ImageReference.DefaultTag;
            string? match = image.Names.FirstOrDefault(n => n == $"{reference.Name}:{tag}")
                ?? image.Names.FirstOrDefault(n => n.EndsWith($"/{reference.Repository}:{tag}", StringComparison.Ordinal));
            if (match is not null)
            {
                return [match];
            }
        }

        return [image.Names[0]];
    }

    private static void RecordSaved(CliContext context, List<SavedImage> saved, string[] targets)
    {
        for (int i = 0; i < saved.Count; i++)
        {
            ImageEvents.Record(context, "save", saved[i].Image.Id, targets[i]);
        }
    }
}
