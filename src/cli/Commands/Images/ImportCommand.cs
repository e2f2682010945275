using System.CommandLine;
using Skiff.Cli.Commands.System;
using Skiff.Core.Errors;
using Skiff.Images.Local;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff import FILE|- [REFERENCE]</c>: a root filesystem tarball (plain or compressed) becomes a one-layer image.</summary>
public static class ImportCommand
{
    public static Command Create(GlobalOptions globals, string name = "import")
    {
        var file = new Argument<string>("file") { Description = "Tarball of a root filesystem, or - for standard input" };
        var reference = new Argument<string?>("reference") { Arity = ArgumentArity.ZeroOrOne, Description = "Name for the image: NAME[:TAG]" };
        var change = new Option<string[]>("--change", "-c") { Description = "Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL)" };
        var message = new Option<string?>("--message", "-m") { Description = "Set the commit message (history comment) for the image" };
        var arch = new Option<string?>("--arch") { Description = "Set the architecture of the image (default: the host's)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress progress output" };
        var command = new Command(name, "Import a tarball to create a filesystem image") { file, reference, change, message, arch, quiet };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            string path = parseResult.GetValue(file)!;
            var options = new ImportOptions(
                path,
                parseResult.GetValue(reference),
                parseResult.GetValue(change) ?? [],
                parseResult.GetValue(message),
                parseResult.GetValue(arch) ?? VersionCommand.Architecture());
            LocalImages local = ImageServices.Local(context);
            // Shared hold: a concurrent prune or system check --repair must not take the blobs and scratch
            // files written before the image record exists for debris.
            using IDisposable inUse = StorageServices.Layers(context).HoldForUse();
            var importer = new ImageImporter(local, ImageServices.Temporary(context));
            ImageRecord record;
            using (Stream input = Open(path))
            {
                record = await importer.ImportAsync(input, options, cancellationToken);
            }

            ImageEvents.Record(context, "import", record.Id, parseResult.GetValue(reference) ?? path);
            context.Out.WriteLine(record.Id);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static Stream Open(string path)
    {
        if (path == "-")
        {
            return Console.OpenStandardInput();
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            throw SkiffException.NotFound($"open {path}: no such file or directory");
        }
        catch (DirectoryNotFoundException)
        {
            throw SkiffException.NotFound($"open {path}: no such file or directory");
        }
        catch (UnauthorizedAccessException)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"open {path}: permission denied");
        }
    }
}
