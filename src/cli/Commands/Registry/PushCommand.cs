using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Images.Content;
using Skiff.Images.Registry.Pushing;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Registry;

/// <summary><c>skiff push [--tls-verify] [--authfile] [--creds] [--format oci|v2s2] [-q] IMAGE [DESTINATION]</c>, as podman push.</summary>
public static class PushCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var image = new Argument<string>("image") { Description = "Local image to push" };
        var destination = new Argument<string?>("destination") { Arity = ArgumentArity.ZeroOrOne, Description = "Where to push: [docker://]registry/name[:tag] (default: the image's name)" };
        var format = new Option<string?>("--format", "-f") { Description = "Manifest format to push: oci or v2s2 (default: as stored)" };
        format.AcceptOnlyFromAmong("oci", "v2s2");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print nothing while pushing" };
        var digestFile = new Option<string?>("--digestfile") { Description = "Write the digest of the pushed manifest to this file" };
        var flags = new RegistryFlags();
        var command = new Command("push", "Push an image to a registry") { image, destination, format, quiet, digestFile };
        flags.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            var options = new PushOptions(parseResult.GetValue(image)!, parseResult.GetValue(destination))
            {
                Format = parseResult.GetValue(format) switch
                {
                    "oci" => PushFormat.Oci,
                    "v2s2" => PushFormat.DockerV2Schema2,
                    _ => PushFormat.Keep,
                },
            };

            using var progress = new PullProgressPrinter(context.Error, interactive: !Console.IsErrorRedirected, parseResult.GetValue(quiet));
            var pusher = new ImagePusher(flags.Connector(parseResult, context), new ContentStore(context.Paths.Root), new ImageStore(context.Paths.Root), progress);
            Digest digest = await pusher.PushAsync(options, cancellationToken);
            progress.Dispose();
            Images.ImageEvents.Record(context, "push", null, options.Destination ?? options.Source);
            if (parseResult.GetValue(digestFile) is string path)
            {
                await File.WriteAllTextAsync(path, digest.Value, cancellationToken);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
