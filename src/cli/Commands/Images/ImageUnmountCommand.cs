using System.CommandLine;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Snapshots;
using Skiff.Images.Store;
using Skiff.Images.Unpack;

namespace Skiff.Cli.Commands.Images;

/// <summary><c>skiff image unmount [-a] [-f] IMAGE...</c>: drops one mount of each image (unmounting at zero) and prints its id, as podman.</summary>
public static class ImageUnmountCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.ZeroOrMore, Description = "Images to unmount" };
        var all = new Option<bool>("--all", "-a") { Description = "Unmount all mounted images" };
        var force = new Option<bool>("--force", "-f") { Description = "Unmount even if mounted more than once" };
        var command = new Command("unmount", "Unmount an image's root filesystem") { images, all, force };
        command.Aliases.Add("umount");
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            ImageMountCommand.RequireMountNamespace(context, "image unmount");
            ImageMounts mounts = ImageMountCommand.Mounts(context, out ImageStore store, out LayerStore _);
            string[] names = parseResult.GetValue(images) ?? [];
            bool everything = parseResult.GetValue(all);
            if (names.Length == 0 && !everything)
            {
                throw SkiffException.InvalidArgument("at least one image name or ID must be specified", "or use --all");
            }

            var targets = new List<(string Name, Digest? Id)>();
            if (everything)
            {
                targets.AddRange(mounts.List().Select(m => (m.ImageId, (Digest?)Digest.Parse(m.ImageId))));
            }

            foreach (string name in names)
            {
                targets.Add((name, store.TryResolve(name) is { } record ? Digest.Parse(record.Id) : null));
            }

            int exit = ExitCodes.Success;
            foreach ((string name, Digest? id) in targets)
            {
                try
                {
                    if (id is not Digest imageId)
                    {
                        throw SkiffException.NotFound($"{name}: image not known");
                    }

                    if (!mounts.Unmount(imageId, everything || parseResult.GetValue(force)))
                    {
                        throw SkiffException.InvalidArgument($"image {name} is not mounted");
                    }

                    context.Out.WriteLine(imageId.Hex);
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
}
