using System.CommandLine;
using Skiff.Images.Manifests;
using Skiff.Images.Registry.Pulling;

namespace Skiff.Cli.Commands.Registry;

/// <summary><c>skiff pull [--platform] [-q] [--tls-verify] [--authfile] [--creds] NAME[:TAG|@DIGEST]</c>, as podman pull.</summary>
public static class PullCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var image = new Argument<string>("image") { Description = "Image to pull: NAME[:TAG|@DIGEST]" };
        var platform = new PlatformFlags("Pull the image for this platform (os/arch[/variant]) instead of the host's");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only the image id" };
        var flags = new RegistryFlags();
        var command = new Command("pull", "Pull an image from a registry") { image, quiet };
        platform.AddTo(command);
        flags.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            bool isQuiet = parseResult.GetValue(quiet);
            var options = new PullOptions(parseResult.GetValue(image)!)
            {
                Platform = platform.Resolve(parseResult),
            };

            PullResult result = await RegistryPull.PullAsync(context, flags.Connector(parseResult, context), options, isQuiet, cancellationToken);
            context.Out.WriteLine(result.Image.Id["sha256:".Length..]);
            return ExitCodes.Success;
        });
        return command;
    }
}
