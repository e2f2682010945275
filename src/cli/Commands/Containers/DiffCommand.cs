using System.CommandLine;
using Skiff.Cli.Commands.Images;
using Skiff.Cli.Output;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Store;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff diff [--format json] CONTAINER|IMAGE</c> (and <c>container diff</c>, <c>image diff</c>): what a container's
/// writable layer changes in its image, or an image's top layer in the layers below, as podman 4.3 prints it
/// (<c>A /path</c>, <c>C /path</c>, <c>D /path</c>; see <see cref="LayerChanges"/>). For a container the files skiff
/// mounts over (/etc/hosts, /etc/resolv.conf, /dev, …) are left out, as podman leaves its own out. Rootless the layers
/// hold files of subordinate ids, so the command reads them inside skiff's user namespace.
/// </summary>
public static class DiffCommand
{
    /// <summary>podman's initInodes: mount points the engine creates in every container.</summary>
    private static readonly HashSet<string> EngineMountPoints = new(StringComparer.Ordinal)
    {
        "/dev", "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/proc", "/run", "/run/notify", "/run/.containerenv", "/run/secrets", "/sys", "/etc/mtab",
    };

    public static Command Create(GlobalOptions globals, DiffTarget target = DiffTarget.Either)
    {
        var format = new Option<string?>("--format") { Description = "Change the output format (json)" };
        var latest = LatestContainer.CreateOption();
        var name = new Argument<string?>(target == DiffTarget.Image ? "image" : target == DiffTarget.Container ? "container" : "container|image") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("diff", target == DiffTarget.Image ? "Inspect changes to the image's file systems" : "Inspect changes to the container's file systems") { format, name };
        if (target != DiffTarget.Image)
        {
            command.Options.Add(latest);
        }

        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            string? text = parse.GetValue(format);
            if (text is not null && text.Trim() != "json")
            {
                throw SkiffException.InvalidArgument($"only \"json\" is supported as a format, not \"{text}\"", "use --format json, or no --format for podman's A/C/D lines");
            }

            ContainerStore store = ContainerServices.Store(context);
            bool last = target != DiffTarget.Image && parse.GetValue(latest);
            string? given = parse.GetValue(name);
            if (last || given is null)
            {
                string verb = target switch { DiffTarget.Container => "skiff container diff", DiffTarget.Image => "skiff image diff", _ => "skiff diff" };
                given = LatestContainer.Resolve(store, last, given, $"\"{verb}\" requires a name, id, or the \"--latest\" flag");
            }

            string wanted = given;
            string? containerId = target == DiffTarget.Image ? null : store.TryResolve(wanted);
            ImageRecord? image = null;
            if (containerId is null)
            {
                image = target == DiffTarget.Container ? null : ImageServices.Local(context).Images.TryResolve(wanted);
                if (image is null)
                {
                    throw SkiffException.NotFound(
                        target switch
                        {
                            DiffTarget.Container => $"no such container \"{wanted}\"",
                            DiffTarget.Image => $"{wanted}: image not known",
                            _ => $"{wanted} not found: no container or image with this name or id",
                        });
                }
            }

            if (ContainerSizes.NeedUserNamespace(context))
            {
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments());
            }

            IReadOnlyList<TreeChange> changes = containerId is not null ? OfContainer(context, store, containerId) : OfImage(context, image!);
            if (text is null)
            {
                foreach (TreeChange change in changes)
                {
                    context.Out.WriteLine(change.ToString());
                }

                return ExitCodes.Success;
            }

            var json = new TemplateObject("diff.ChangesReportJSON");
            foreach ((string key, ChangeKind kind) in new[] { ("changed", ChangeKind.Modified), ("added", ChangeKind.Added), ("deleted", ChangeKind.Deleted) })
            {
                List<object?> paths = changes.Where(c => c.Kind == kind).Select(c => (object?)c.Path).ToList();
                if (paths.Count > 0)
                {
                    json[key] = paths;
                }
            }

            context.Out.WriteLine(JsonOutput.Serialize(json, indented: true, indentSize: JsonOutput.InspectIndent));
            return ExitCodes.Success;
        });
        return command;
    }

    private static IReadOnlyList<TreeChange> OfContainer(CliContext context, ContainerStore store, string id)
    {
        ContainerConfig config = store.ReadConfig(id);
        string snapshot = store.SnapshotDirectory(id);
        string upper = Path.Combine(snapshot, "upper");
        if (!Directory.Exists(upper))
        {
            if (Directory.Exists(Path.Combine(snapshot, "rootfs")))
            {
                throw SkiffException.PrerequisiteMissing(
                    $"container {ContainerIds.Short(id)} uses a copied root filesystem (the vfs driver), which keeps no layer of its changes",
                    "diff and commit need the overlay storage driver");
            }

            return []; // A --rootfs container: no image, no layer.
        }

        IReadOnlyList<string> diffIds = config.ImageId is { } imageId && ImageServices.Local(context).Images.TryGet(Digest.Parse(imageId.Contains(':') ? imageId : "sha256:" + imageId)) is { } image ? image.DiffIds : [];
        return Compute(context, upper, diffIds).Where(c => !EngineMountPoints.Contains(c.Path) && !IsSecretMountPoint(config, c.Path)).ToList();
    }

    /// <summary>
    /// A mounted secret's target, and with mounted secrets anything under /run/secrets: mount points the engine made
    /// (podman binds a directory of its own over /run/secrets, so nothing there reaches its layer either).
    /// </summary>
    private static bool IsSecretMountPoint(ContainerConfig config, string path) =>
        config.Secrets.Any(s => s.IsMount && (s.Target == path || path.StartsWith(ContainerSecret.Directory + "/", StringComparison.Ordinal)));

    private static IReadOnlyList<TreeChange> OfImage(CliContext context, ImageRecord image)
    {
        if (image.DiffIds.Count == 0)
        {
            return [];
        }

        LayerStore layers = StorageServices.Layers(context);
        string top = layers.DiffPath(StorageServices.ChainIdsOf(image.DiffIds)[^1]);
        return Compute(context, top, image.DiffIds.Take(image.DiffIds.Count - 1).ToList());
    }

    /// <summary>The changes of the tree at <paramref name="upper"/> over the layers <paramref name="diffIds"/> (bottom first).</summary>
    private static IReadOnlyList<TreeChange> Compute(CliContext context, string upper, IReadOnlyList<string> diffIds)
    {
        LayerStore layers = StorageServices.Layers(context);
        var lowers = new List<DirectoryHandle>();
        try
        {
            foreach (Digest chainId in StorageServices.ChainIdsOf(diffIds).Reverse())
            {
                lowers.Add(DirectoryHandle.Open(layers.DiffPath(chainId)));
            }

            using DirectoryHandle top = DirectoryHandle.Open(upper);
            return LayerChanges.Compute(top, lowers);
        }
        finally
        {
            foreach (DirectoryHandle lower in lowers)
            {
                lower.Dispose();
            }
        }
    }
}
