using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Core.IdMaps;
using Skiff.Rootless.IdMaps;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff info [--format json|TEMPLATE] [--debug]</c>: host, store and version facts, laid out like podman info;
/// with --debug also the machine's problems for rootless containers (<c>skiff system check</c>'s list) under <c>problems</c>.
/// </summary>
public static class InfoCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var format = new Option<string?>("--format", "-f") { Description = "Change the output format to JSON or a Go template" };
        var debug = new Option<bool>("--debug", "-D") { Description = "Also check the machine for what rootless containers need (as skiff system check does)" };
        var command = new Command("info", "Display skiff system information") { format, debug };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            TemplateObject info = await BuildAsync(context, cancellationToken);
            if (parseResult.GetValue(debug))
            {
                IReadOnlyList<Skiff.Rootless.Checks.SystemProblem> problems = await SystemCheckCommand.RunAsync(context, cancellationToken);
                info["problems"] = problems.Select(p => (object?)new TemplateObject("define.Problem") { ["check"] = p.Check, ["problem"] = p.Message, ["fix"] = p.Fix }).ToList();
            }

            string? text = parseResult.GetValue(format);
            if (string.IsNullOrWhiteSpace(text))
            {
                context.Out.Write(YamlOutput.Serialize(info));
            }
            else if (text.Trim() == "json")
            {
                context.Out.WriteLine(JsonOutput.Serialize(info, indented: true));
            }
            else
            {
                context.Out.Write(OutputFormat.Parse(text, text, "info").RenderOne(info));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<TemplateObject> BuildAsync(CliContext context, CancellationToken cancellationToken)
    {
        Skiff.Images.Snapshots.StorageDriverChoice driver = Images.StorageServices.Driver(context);
        int imageCount = Images.ImageServices.Local(context).Images.List().Count;
        var host = new TemplateObject("define.HostInfo")
        {
            ["arch"] = VersionCommand.Architecture(),
            ["os"] = "linux",
            ["kernel"] = KernelRelease(),
            ["hostname"] = Environment.MachineName,
            ["cpus"] = (long)Environment.ProcessorCount,
            ["rootless"] = context.User.Rootless,
            ["idMappings"] = IdMappings(context),
            ["security"] = Security(context),
            ["ociRuntime"] = new TemplateObject("define.OCIRuntimeInfo")
            {
                ["name"] = Skiff.Runtime.Monitor.OciRuntimes.BuiltIn,
                ["path"] = Environment.ProcessPath ?? string.Empty,
                ["version"] = "skiff version " + VersionCommand.Version,
            },
            ["logDriver"] = Skiff.Runtime.Logs.LogDrivers.K8sFile,
            ["memTotal"] = MemInfo("MemTotal:"),
            ["memFree"] = MemInfo("MemFree:"),
        };
        await HostResourcesInfo.AddToAsync(host, context, cancellationToken);
        return new TemplateObject("define.Info")
        {
            ["host"] = host,
            ["store"] = new TemplateObject("define.StoreInfo")
            {
                ["graphDriverName"] = driver.Name,
                ["graphDriverSource"] = driver.Source,
                ["graphRoot"] = context.Paths.Root,
                ["runRoot"] = context.Paths.RunRoot,
                ["configHome"] = context.Paths.ConfigHome,
                ["imageStore"] = new TemplateObject("define.ImageStore") { ["number"] = (long)imageCount },
                ["containerStore"] = ContainerCounts(context),
                ["volumePath"] = Containers.ContainerServices.Volumes(context).VolumesDirectory,
            },
            ["version"] = VersionCommand.Info(),
        };
    }

    /// <summary>podman's <c>store.containerStore</c>: all containers, and how many run, are paused, or are stopped (created or exited).</summary>
    private static TemplateObject ContainerCounts(CliContext context)
    {
        Skiff.Runtime.Lifecycle.ContainerStore store = Containers.ContainerServices.Store(context);
        var observer = new Skiff.Runtime.Lifecycle.StateObserver(TimeProvider.System);
        var reader = new Skiff.Runtime.Fds.SmallFileReader();
        long number = 0, running = 0, paused = 0;
        foreach (string id in store.ListIds())
        {
            try
            {
                if (store.TryReadState(id, reader) is not { } recorded)
                {
                    continue; // Removed while we counted.
                }

                string status = observer.Observe(recorded).Status;
                number++;
                running += status is Skiff.Runtime.Lifecycle.ContainerStatus.Running or Skiff.Runtime.Lifecycle.ContainerStatus.Stopping ? 1 : 0;
                paused += status == Skiff.Runtime.Lifecycle.ContainerStatus.Paused ? 1 : 0;
            }
            catch (Skiff.Core.Errors.SkiffException)
            {
                // An unreadable record is left out, as ps leaves it out.
            }
        }

        return new TemplateObject("define.ContainerStore") { ["number"] = number, ["paused"] = paused, ["running"] = running, ["stopped"] = number - running - paused };
    }

    /// <summary>A /proc/meminfo line in bytes (podman's memTotal and memFree), 0 when it cannot be read.</summary>
    private static long MemInfo(string key)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(key.Length).Trim().TrimEnd("kB").Trim(), global::System.Globalization.NumberStyles.None, global::System.Globalization.CultureInfo.InvariantCulture, out long kib))
                {
                    return kib * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>podman's <c>host.security</c>: scripts read <c>{{.Host.Security.Rootless}}</c>.</summary>
    private static TemplateObject Security(CliContext context) => new("define.SecurityInfo")
    {
        ["apparmorEnabled"] = false,
        ["capabilities"] = string.Join(",", Skiff.Runtime.Spec.SpecDefaults.DefaultCapabilities),
        ["rootless"] = context.User.Rootless,
        ["seccompEnabled"] = true,
        ["seccompProfilePath"] = "builtin (docker's default profile)",
        ["selinuxEnabled"] = false,
    };

    private static TemplateObject IdMappings(CliContext context)
    {
        var mappings = new TemplateObject("define.IDMappings") { ["uidmap"] = NilValue.List, ["gidmap"] = NilValue.List };
        if (!context.User.Rootless)
        {
            return mappings;
        }

        try
        {
            IdMap map = RootlessIdMapBuilder.Build(
                context.User.Uid,
                context.User.Gid,
                SubordinateIdFile.Read("/etc/subuid", context.User.Name, context.User.Uid),
                SubordinateIdFile.Read("/etc/subgid", context.User.Name, context.User.Uid),
                context.User.Name);
            mappings["uidmap"] = map.Uids.Select(Mapping).ToList();
            mappings["gidmap"] = map.Gids.Select(Mapping).ToList();
        }
        catch (Skiff.Core.Errors.SkiffException)
        {
            // No subordinate range: info still prints, the maps stay empty (rootless verbs explain the problem).
        }

        return mappings;
    }

    private static object? Mapping(IdMapping m) => new TemplateObject("idtools.IDMap")
    {
        ["container_id"] = (long)m.ContainerId,
        ["host_id"] = (long)m.HostId,
        ["size"] = (long)m.Size,
    };

    private static string KernelRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
