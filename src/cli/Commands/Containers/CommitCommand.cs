using System.CommandLine;
using Skiff.Cli.Commands.Images;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Local;
using Skiff.Images.Store;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;
using ImageContainerConfig = Skiff.Images.Manifests.ContainerConfig;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff commit [-a AUTHOR] [-m MSG] [-c CHANGE]… [-p] [-q] [-f oci|docker] CONTAINER [IMAGE]</c>: a new image
/// made of the container's image and one more layer, the container's writable layer (as podman 4.3: the container's
/// command, environment, working directory, user and labels become the image's config, --change goes on top, the
/// history gains a <c>/bin/sh</c> entry whose comment is <c>FROM IMAGE</c>; -m needs the docker format). The layer is
/// read from the overlay upper directory without following symlinks, whiteouts and opaque directories become OCI
/// <c>.wh.</c> entries, and files carry the owners the container sees. Rootless it runs inside skiff's user namespace.
/// </summary>
public static class CommitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var author = new Option<string?>("--author", "-a") { Description = "Set the author for the image committed" };
        var message = new Option<string?>("--message", "-m") { Description = "Set commit message for imported image (docker format only)" };
        var change = new Option<string[]>("--change", "-c") { Description = "Apply a Dockerfile instruction (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL)" };
        var pause = new Option<bool>("--pause", "-p") { Description = "Pause the container while committing" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress output" };
        var format = new Option<string>("--format", "-f") { Description = "Format of the image manifest and metadata (oci or docker)", DefaultValueFactory = _ => "oci" };
        var iidFile = new Option<string?>("--iidfile") { Description = "Write the image ID to the file" };
        var container = new Argument<string>("container");
        var image = new Argument<string?>("image") { Arity = ArgumentArity.ZeroOrOne, Description = "Name for the image: NAME[:TAG]" };
        var command = new Command("commit", "Create new image based on the changed container") { author, message, change, pause, quiet, format, iidFile, container, image };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            string manifestFormat = parse.GetValue(format)!;
            if (manifestFormat is not ("oci" or "docker"))
            {
                throw SkiffException.InvalidArgument($"unrecognized image type \"{manifestFormat}\"", "use --format oci or --format docker");
            }

            string? text = parse.GetValue(message);
            if (text is not null && manifestFormat != "docker")
            {
                throw SkiffException.InvalidArgument("messages are only compatible with the docker image format (-f docker)");
            }

            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = lifecycle.Store.Resolve(parse.GetValue(container)!);
            if (ContainerSizes.NeedUserNamespace(context))
            {
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments());
            }

            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            LocalImages local = ImageServices.Local(context);
            var committer = new ContainerCommitter(context, lifecycle.Store);
            ImageRecord baseImage = committer.BaseImage(config, local);
            ImageContainerConfig imageConfig = FromContainer(local.Config(baseImage).Config ?? new ImageContainerConfig(), config);
            var options = new CommitOptions(
                parse.GetValue(image),
                imageConfig,
                parse.GetValue(change) ?? [],
                parse.GetValue(author),
                text ?? $"FROM {config.Image}",
                manifestFormat == "docker");

            // Shared hold: a concurrent prune must not take the new blob for debris before the image record exists.
            using IDisposable inUse = StorageServices.Layers(context).HoldForUse();
            ContainerFreezer? frozen = null;
            if (parse.GetValue(pause) && lifecycle.Observe(id).Status == ContainerStatus.Running)
            {
                frozen = new ContainerFreezer(lifecycle, ContainerCgroups.ForHost(context.User.Rootless));
                frozen.Pause(id);
            }

            ImageRecord record;
            try
            {
                bool silent = parse.GetValue(quiet);
                record = await committer.CommitAsync(
                    config,
                    baseImage,
                    local,
                    options,
                    line =>
                    {
                        if (!silent)
                        {
                            context.Error.WriteLine(line);
                        }
                    },
                    cancellationToken);
            }
            finally
            {
                frozen?.Unpause(id);
            }

            lifecycle.Store.RecordEvent(config, "commit");
            if (parse.GetValue(iidFile) is { } idPath)
            {
                // podman writes the id as it prints it, without "sha256:" and without a newline.
                await File.WriteAllTextAsync(idPath, Digest.Parse(record.Id).Hex, cancellationToken);
            }

            context.Out.WriteLine(Digest.Parse(record.Id).Hex);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>podman's commit: the container's command, environment, working directory, user and labels override the image's.</summary>
    private static ImageContainerConfig FromContainer(ImageContainerConfig image, ContainerConfig container)
    {
        var labels = new Dictionary<string, string>(image.Labels ?? new Dictionary<string, string>());
        foreach ((string key, string value) in container.Labels)
        {
            labels[key] = value;
        }

        return image with
        {
            Env = container.Env.Count > 0 ? container.Env : image.Env,
            Entrypoint = container.Entrypoint.Count > 0 ? container.Entrypoint : null,
            Cmd = container.Cmd.Count > 0 ? container.Cmd : null,
            WorkingDir = container.WorkingDir,
            User = container.User.Length > 0 ? container.User : image.User,
            Labels = labels.Count > 0 ? labels : null,
        };
    }
}
