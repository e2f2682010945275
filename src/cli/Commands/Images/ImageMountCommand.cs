using System.CommandLine;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Images.Snapshots;
using Skiff.Images.Store;
using Skiff.Images.Unpack;
using Skiff.Cli.Commands.System;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// <c>skiff image mount [IMAGE...]</c>: mounts each image read-only and prints its merged root path; with no
/// image, lists the mounted ones. Rootless, mounts only live in a user namespace that outlasts the
/// command, so it runs only inside <c>skiff unshare</c>, as with podman.
/// </summary>
public static class ImageMountCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.ZeroOrMore, Description = "Images to mount" };
        var format = new Option<string?>("--format") { Description = "Print the mounted images as json" };
        var command = new Command("mount", "Mount an image's root filesystem") { images, format };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            RequireMountNamespace(context, "image mount");
            ImageMounts mounts = Mounts(context, out ImageStore store, out LayerStore layers);
            string[] names = parseResult.GetValue(images) ?? [];
            if (names.Length == 0)
            {
                IReadOnlyList<ImageMountRecord> mounted = mounts.List();
                if (parseResult.GetValue(format) == "json")
                {
                    context.Out.WriteLine("[" + string.Join(",", mounted.Select(m =>
                        $"{{\"id\":\"{Digest.Parse(m.ImageId).Hex}\",\"Repositories\":[{string.Join(",", (store.TryGet(Digest.Parse(m.ImageId))?.Names ?? []).Select(n => "\"" + n + "\""))}],\"mountpoint\":\"{m.MountPoint}\"}}")) + "]");
                    return ExitCodes.Success;
                }

                foreach (ImageMountRecord m in mounted)
                {
                    ImageRecord? record = store.TryGet(Digest.Parse(m.ImageId));
                    string name = record?.Names.FirstOrDefault() ?? Digest.Parse(m.ImageId).Hex[..12];
                    context.Out.WriteLine($"{name} {m.MountPoint}");
                }

                return ExitCodes.Success;
            }

            int exit = ExitCodes.Success;
            foreach (string name in names)
            {
                try
                {
                    ImageRecord record = store.TryResolve(name)
                        ?? throw SkiffException.NotFound($"{name}: image not known", "see 'skiff images' for the local images, or pull it first");
                    IReadOnlyList<Digest> chainIds = StorageServices.ChainIdsOf(record.DiffIds);
                    foreach (Digest chainId in chainIds)
                    {
                        layers.Get(chainId);
                    }

                    context.Out.WriteLine(await mounts.MountAsync(Digest.Parse(record.Id), chainIds, cancellationToken));
                }
                catch (SkiffException e)
                {
                    exit = context.Reporter.Report(e);
                }
            }

            return exit;
        });
        return command;
    }

    internal static ImageMounts Mounts(CliContext context, out ImageStore store, out LayerStore layers)
    {
        store = new ImageStore(context.Paths.Root);
        layers = StorageServices.Layers(context);
        return new ImageMounts(context.Paths.Root, context.Paths.RunRoot, StorageServices.Snapshotter(context, layers), new SnapshotMounter(new ProcessRunner()));
    }

    /// <summary>podman's rule: rootless mounts are only useful inside a namespace that outlives the command.</summary>
    internal static void RequireMountNamespace(CliContext context, string verb)
    {
        if (context.User.Rootless && Environment.GetEnvironmentVariable(UnshareCommandVariables.Unshared) != "1")
        {
            throw SkiffException.InvalidArgument(
                $"cannot run command \"skiff {verb}\" in rootless mode, must execute `skiff unshare` first",
                $"run: skiff unshare skiff {verb} ...");
        }
    }
}
