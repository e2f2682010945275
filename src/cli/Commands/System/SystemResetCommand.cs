using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Networks;
using Skiff.Core.Errors;
using Skiff.Rootless.Network.Bridge;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff system reset [-f]</c>: podman's reset to the initial state. Every container is removed (running ones
/// killed, through rm -f's code, so monitors, cgroups and network helpers go), every network (bridges and DNS
/// servers as root), then whatever is still mounted under the store (image mounts), then the store and its run
/// directory with all images, volumes and the event log. Asks first unless -f; no answer (stdin at its end) is
/// podman's <c>Error: EOF</c>. Rootless it runs in skiff's user namespace, where the store's files can be removed.
/// </summary>
public static class SystemResetCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var command = new Command("reset", "Reset skiff storage: remove all containers, images, networks and volumes") { force };
        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            if (context.User.Rootless && !context.User.InsideUserNamespace)
            {
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments());
            }

            if (!parse.GetValue(force))
            {
                context.Out.Write(Warning);
                context.Out.Flush();
                string answer = Console.In.ReadLine() ?? throw SkiffException.InvalidArgument("EOF", "answer y to continue, or pass -f");
                if (answer.Trim().ToLowerInvariant() is not ("y" or "yes"))
                {
                    return ExitCodes.Success;
                }
            }

            int exit = ExitCodes.Success;
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            foreach (string id in lifecycle.Store.ListIds())
            {
                try
                {
                    lifecycle.Remove(id, force: true);
                }
                catch (SkiffException e) when (lifecycle.Store.Exists(id))
                {
                    context.Error.WriteLine($"Error: removing container {ContainerIds.Short(id)}: {e.Message}");
                    exit = ExitCodes.EngineError;
                }
            }

            NetworkStore networks = ContainerServices.Networks(context);
            using (networks.Lock())
            {
                foreach (NetworkRecord network in networks.List())
                {
                    NetworkRemover.Remove(networks, network, context.User, context.Events);
                }
            }

            foreach (string directory in new[] { context.Paths.Root, context.Paths.RunRoot })
            {
                RemoveTree(directory, context, ref exit);
            }

            return exit;
        });
        return command;
    }

    /// <summary>podman 4.3's question, word for word.</summary>
    public const string Warning =
        "\nWARNING! This will remove:\n"
        + "        - all containers\n"
        + "        - all pods\n"
        + "        - all images\n"
        + "        - all networks\n"
        + "        - all build cache\n"
        + "        - all machines\n"
        + "        - all volumes\n"
        + "Are you sure you want to continue? [y/N] ";

    /// <summary>Unmounts what is mounted below <paramref name="directory"/> (deepest first, detached), then deletes it.</summary>
    private static void RemoveTree(string directory, CliContext context, ref int exit)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        string prefix = directory.TrimEnd('/') + "/";
        foreach (string mountPoint in MountPointsUnder(prefix).OrderByDescending(p => p.Length))
        {
            try
            {
                Skiff.Images.Snapshots.KernelMounts.Unmount(mountPoint, detach: true);
            }
            catch (SkiffException e)
            {
                context.Error.WriteLine($"Error: unmounting {mountPoint}: {e.Message}");
            }
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"Error: removing {directory}: {IoErrorText.Reason(e) ?? e.Message}");
            exit = ExitCodes.EngineError;
        }
    }

    private static IEnumerable<string> MountPointsUnder(string prefix)
    {
        foreach (string line in File.ReadLines("/proc/self/mountinfo"))
        {
            string[] fields = line.Split(' ');
            if (fields.Length > 4)
            {
                string mountPoint = Unescape(fields[4]);
                if (mountPoint.StartsWith(prefix, StringComparison.Ordinal))
                {
                    yield return mountPoint;
                }
            }
        }
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as three octal digits.</summary>
    private static string Unescape(string field) =>
        global::System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})", m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString());
}
