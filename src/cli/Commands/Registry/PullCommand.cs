using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;
using Skiff.Images.References;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Pulling;

namespace Skiff.Cli.Commands.Registry;

/// <summary>
/// <c>skiff pull [--platform] [-q] [-a] [--tls-verify] [--authfile] [--creds] NAME[:TAG|@DIGEST]</c>, as podman pull;
/// <c>--all-tags</c> pulls every tag of the repository one after another, printing each image's id.
/// </summary>
public static class PullCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var image = new Argument<string>("image") { Description = "Image to pull: NAME[:TAG|@DIGEST]" };
        var platform = new PlatformFlags("Pull the image for this platform (os/arch[/variant]) instead of the host's");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the image id" };
        var flags = new RegistryFlags();
        var allTags = new Option<bool>("--all-tags", "-a") { Description = "All tagged images in the repository will be pulled" };
        var command = new Command("pull", "Pull an image from a registry") { image, quiet, allTags };
        platform.AddTo(command);
        flags.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            bool isQuiet = parseResult.GetValue(quiet);
            string name = parseResult.GetValue(image)!;
            Platform? chosen = platform.Resolve(parseResult);
            RegistryConnector connector = flags.Connector(parseResult, context);
            if (!parseResult.GetValue(allTags))
            {
                PullResult result = await RegistryPull.PullAsync(context, connector, new PullOptions(name) { Platform = chosen }, isQuiet, cancellationToken);
                context.Out.WriteLine(result.Image.Id["sha256:".Length..]);
                return ExitCodes.Success;
            }

            ImageReference reference = ImageReference.Parse(name);
            if (reference.Tag is not null || reference.Digest is not null)
            {
                // docker's words; podman 4.3 drops the tag and pulls every tag anyway.
                throw SkiffException.InvalidArgument("tag can't be used with --all-tags/-a", $"give the repository alone: {reference.WithTag(null).WithDigest(null)}");
            }

            (ImageReference repository, IReadOnlyList<string> tags) = await new RepositoryTags(connector).ListAsync(reference, cancellationToken);
            foreach (string tag in tags)
            {
                PullResult result = await RegistryPull.PullAsync(context, connector, new PullOptions(repository.WithTag(tag).ToString()) { Platform = chosen }, isQuiet, cancellationToken);
                context.Out.WriteLine(result.Image.Id["sha256:".Length..]);
                context.Out.Flush();
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
