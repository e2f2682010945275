using Skiff.Cli.Output;
using Skiff.Images.Content;
using Skiff.Images.Registry;
using Skiff.Images.Registry.Pulling;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Registry;

/// <summary>One pull into the local store with podman's progress on stderr: shared by <c>pull</c> and by <c>run</c>/<c>create</c> (--pull).</summary>
public static class RegistryPull
{
    public static async Task<PullResult> PullAsync(CliContext context, RegistryConnector connector, PullOptions options, bool quiet, CancellationToken cancellationToken)
    {
        using var progress = new PullProgressPrinter(context.Error, interactive: !Console.IsErrorRedirected, quiet);
        var content = new ContentStore(context.Paths.Root);
        Skiff.Images.Unpack.LayerStore layers = Images.StorageServices.Layers(context);
        using IDisposable layersInUse = layers.HoldForUse();
        var puller = new ImagePuller(
            connector,
            content,
            new ImageStore(context.Paths.Root),
            unpacker: new Skiff.Images.Unpack.LayerUnpacker(content, layers),
            progress);
        PullResult result = await puller.PullAsync(options, cancellationToken);
        progress.Dispose();
        Images.ImageEvents.Record(context, "pull", result.Image.Id, options.Reference);
        return result;
    }
}
