using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary><c>skiff volume prune [-f] [--filter F]</c>: removes the volumes no container uses, printing their names; asks first unless -f.</summary>
public static class VolumePruneCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var filter = new Option<string[]>("--filter") { Description = "Provide filter values (label, label!, until, name, driver)" };
        var command = new Command("prune", "Remove all unused volumes") { force, filter };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            VolumeFilter volumeFilter = VolumeFilter.Parse(parse.GetValue(filter) ?? [], DateTimeOffset.UtcNow);
            if (!parse.GetValue(force))
            {
                context.Out.WriteLine("WARNING! This will remove all volumes not used by at least one container. The following volumes will be removed:");
                VolumeStore preview = ContainerServices.Volumes(context);
                IReadOnlySet<string> used = new VolumeUsers(ContainerServices.Store(context)).InUse();
                foreach (VolumeRecord volume in preview.List().Where(v => !used.Contains(v.Name) && volumeFilter.Matches(v, () => false)))
                {
                    context.Out.WriteLine(volume.Name);
                }

                context.Out.Write("Are you sure you want to continue? [y/N] ");
                context.Out.Flush();
                if (Console.In.ReadLine()?.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    return ExitCodes.Success;
                }
            }

            return Prune(context, volumeFilter, (name, _) => context.Out.WriteLine(name));
        });
        return command;
    }

    /// <summary>
    /// Removes every volume no container mounts that matches <paramref name="filter"/>, calling <paramref name="removed"/>
    /// with each name and the bytes its data held. Returns the exit code: non-zero when one could not be removed (reported).
    /// </summary>
    internal static int Prune(CliContext context, VolumeFilter filter, Action<string, long> removed)
    {
        VolumeStore volumes = ContainerServices.Volumes(context);
        int exit = ExitCodes.Success;
        using (volumes.Lock())
        {
            IReadOnlySet<string> inUse = new VolumeUsers(ContainerServices.Store(context)).InUse();
            foreach (VolumeRecord volume in volumes.List().Where(v => !inUse.Contains(v.Name) && filter.Matches(v, () => false)))
            {
                try
                {
                    long size = DataBytes(volumes.DataPath(volume.Name));
                    volumes.Remove(volume.Name);
                    // podman 4.3 records a prune after the removal, for each volume.
                    context.Events.Write(new Core.Events.EngineEvent("volume", "prune", DateTimeOffset.UtcNow) { Name = volume.Name });
                    removed(volume.Name, size);
                }
                catch (Exception e) when (e is Core.Errors.SkiffException or IOException or UnauthorizedAccessException)
                {
                    context.Reporter.ReportItem(volume.Name, e);
                    exit = ExitCodes.EngineError;
                }
            }
        }

        return exit;
    }

    /// <summary>The volume's data as <c>system df</c> counts it; 0 when it cannot be read.</summary>
    private static long DataBytes(string path)
    {
        try
        {
            using Skiff.Images.Files.DirectoryHandle data = Skiff.Images.Files.DirectoryHandle.Open(path);
            return Skiff.Images.Snapshots.SnapshotUsage.TreeBytes(data);
        }
        catch (Core.Errors.SkiffException)
        {
            return 0;
        }
    }
}
