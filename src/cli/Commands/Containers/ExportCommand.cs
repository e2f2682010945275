using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Images.Trees;
using Skiff.Images.Unpack;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff export [-o FILE] CONTAINER</c>: the container's filesystem as a tar stream (what <c>skiff import</c>
/// reads back). A running container's mount points (/proc, /sys, /dev, volumes, /etc/hosts…) are left
/// out as docker does; the walk goes through <see cref="ContainerRoot"/> and never follows a symlink.
/// </summary>
public static class ExportCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var container = new Argument<string>("container");
        var command = new Command("export", "Export a container's filesystem contents as a tar archive") { output, container };
        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = lifecycle.Store.Resolve(parse.GetValue(container)!);
            string? file = parse.GetValue(output);
            if (file is null && !Console.IsOutputRedirected)
            {
                throw SkiffException.InvalidArgument("refusing to export to terminal. Use -o flag or redirect", "skiff export -o FILE CONTAINER");
            }

            if (context.User.Rootless && !context.User.InsideUserNamespace)
            {
                ContainerState state = lifecycle.Observe(id);
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments(), state.Running ? UserNamespaceEntry.HolderOf(state) : null);
            }

            using ContainerRoot root = ContainerRoot.Open(lifecycle, id);
            // podman 4.3 records no export event: its export mounts the container, and that is recorded.
            lifecycle.Store.RecordEvent(lifecycle.Store.ReadConfig(id), "mount");
            string? temporary = file is null ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", $".{Path.GetFileName(file)}.{Environment.ProcessId}.tmp");
            try
            {
                using (Stream stream = temporary is null ? new Output.StandardStream(1) : new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    ILayerEntrySource source = new TreeEntrySource(root.Handle, null, string.Empty, root.MountPoints);
                    TarEntryWriter.Write(CopyOwners.Out(source, root.OuterIds), stream);
                }

                if (temporary is not null)
                {
                    File.Move(temporary, file!, overwrite: true);
                }
            }
            catch
            {
                if (temporary is not null)
                {
                    File.Delete(temporary);
                }

                throw;
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
