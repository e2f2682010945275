using System.CommandLine;
using System.Globalization;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Rootless.Storage;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff top CONTAINER [DESCRIPTORS...]</c>: the container's processes from /proc, as podman top
/// prints them (USER PID PPID %CPU ELAPSED TTY TIME COMMAND by default; AIX descriptors or their % codes
/// choose columns, with podman's own: groups, hgroups, capabilities, seccomp, label). Pids are the container's own. Other arguments are ps(1)'s: ps runs in the container
/// (<see cref="TopPsFallback"/>), as podman falls back to it.
/// </summary>
public static class TopCommand
{
    private const double ClockTicks = 100; // USER_HZ, the unit of /proc/PID/stat times on every Linux ABI.

    public static Command Create(GlobalOptions globals)
    {
        var latest = LatestContainer.CreateOption();
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne, Description = "Container name or ID" };
        var descriptors = new Argument<string[]>("descriptors") { Arity = ArgumentArity.ZeroOrMore, Description = "Format descriptors (user, pid, ppid, pcpu, etime, tty, time, args, comm, ...) or ps(1) options" };
        var command = new Command("top", "Display the running processes of a container") { latest, container, descriptors };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            // With -l every argument is a descriptor or ps(1)'s (podman's).
            bool last = parse.GetValue(latest);
            string[] rest = last && parse.GetValue(container) is string first ? [first, .. parse.GetValue(descriptors) ?? []] : parse.GetValue(descriptors) ?? [];
            string id = LatestContainer.Resolve(lifecycle.Store, last, last ? null : parse.GetValue(container), "you must provide the name or id of a running container");
            TopArguments arguments = TopArguments.Parse(rest);
            ContainerState state = lifecycle.Observe(id);
            if (!state.Running)
            {
                throw SkiffException.Conflict("top can only be used on running containers");
            }

            if (arguments.PsArguments is { } psArguments)
            {
                if (state.Status == ContainerStatus.Paused)
                {
                    // ps cannot run in a frozen container (podman refuses top on a paused one altogether).
                    throw SkiffException.Conflict("top can only be used on running containers", "ps(1) cannot run in a paused container: unpause it, or use top's descriptors");
                }

                if (context.User.Rootless && !context.User.InsideUserNamespace)
                {
                    // As exec: the container's root and runtime live in its monitor's user and mount namespaces.
                    return await UserNamespaceReexec.ForUser(context.User, context.Runner)
                        .RunJoinedAsync(context.SelfExecutable, Environment.GetCommandLineArgs()[1..], state.MonitorPid, cancellationToken);
                }

                var executor = new ContainerExecutor(lifecycle.Store, id, lifecycle.Store.ReadConfig(id));
                context.Out.Write(TopPsFallback.Run(executor, psArguments));
                return ExitCodes.Success;
            }

            IReadOnlyList<string> columns = arguments.Descriptors;
            IReadOnlyList<ProcessInfo> processes = PidNamespaceMembers.List(state.Pid);
            var view = new ProcessView(state.Pid, processes, Uptime(), hostNames: !context.User.Rootless);
            var table = TabWriter.Podman();
            table.Write(string.Join('\t', columns.Select(TopArguments.Header)) + "\n");
            foreach (ProcessInfo process in processes)
            {
                table.Write(string.Join('\t', columns.Select(c => TopFormats.Cell(view.Value(process, c)))) + "\n");
            }

            context.Out.Write(table.Flush());
            return ExitCodes.Success;
        });
        return command;
    }

    private static double Uptime() =>
        double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>Column values for the processes of one container.</summary>
    /// <remarks>
    /// <paramref name="hostNames"/>: HUSER and HGROUP by the host's account names, as podman shows them for root;
    /// rootless it shows the host ids (the user's subordinate ids have no names). HGROUPS are ids either way, as podman's.
    /// </remarks>
    private sealed class ProcessView(int containerPid, IReadOnlyList<ProcessInfo> processes, double uptime, bool hostNames)
    {
        private readonly Dictionary<int, int> namespacePids = processes.ToDictionary(p => p.HostPid, p => p.Pid);
        private readonly IReadOnlyList<(long Inside, long Outside, long Count)> uidMap = IdMap(containerPid, "uid_map");
        private readonly IReadOnlyList<(long Inside, long Outside, long Count)> gidMap = IdMap(containerPid, "gid_map");
        private readonly Lazy<string?> passwd = new(() => AccountFile(containerPid, "/etc/passwd"));
        private readonly Lazy<string?> group = new(() => AccountFile(containerPid, "/etc/group"));
        private readonly Lazy<long> bootTime = new(BootTime);
        private readonly Lazy<string?> hostPasswd = new(() => hostNames ? HostAccountFile("/etc/passwd") : null);
        private readonly Lazy<string?> hostGroup = new(() => hostNames ? HostAccountFile("/etc/group") : null);

        public string Value(ProcessInfo process, string descriptor) => descriptor switch
        {
            "user" or "ruser" => Name(passwd.Value, Inside(uidMap, process.HostUid)),
            "huser" => Name(hostPasswd.Value, process.HostUid),
            "group" or "rgroup" => Name(group.Value, Inside(gidMap, process.HostGid)),
            "hgroup" => Name(hostGroup.Value, process.HostGid),
            "pid" => process.Pid.ToString(CultureInfo.InvariantCulture),
            "hpid" => process.HostPid.ToString(CultureInfo.InvariantCulture),
            "ppid" => namespacePids.GetValueOrDefault(process.HostPpid).ToString(CultureInfo.InvariantCulture),
            "pcpu" => Cpu(process).ToString("0.000", CultureInfo.InvariantCulture),
            "etime" => GoDuration.FormatSeconds(Math.Round(Elapsed(process), 2)),
            "time" => GoDuration.FormatSeconds(process.CpuTicks / ClockTicks),
            "tty" => Tty(process.TtyNr),
            "comm" => process.Comm,
            "args" => process.Args.Count > 0 ? string.Join(' ', process.Args) : $"[{process.Comm}]",
            "state" => process.State.ToString(),
            "groups" => string.Join(',', process.HostGroups.Select(g => Name(group.Value, Inside(gidMap, g)))),
            "hgroups" => string.Join(',', process.HostGroups.Select(g => g.ToString(CultureInfo.InvariantCulture))),
            "nice" => process.Nice.ToString(CultureInfo.InvariantCulture),
            "pgid" => process.Pgid.ToString(CultureInfo.InvariantCulture),
            "vsz" => (process.VirtualBytes / 1024).ToString(CultureInfo.InvariantCulture),
            "rss" => (process.RssKib ?? 0).ToString(CultureInfo.InvariantCulture),
            "stime" => TopFormats.StartTime(process.StartTicks, bootTime.Value, TimeZoneInfo.Local),
            "label" => Label(process.HostPid),
            "seccomp" => TopFormats.Seccomp(process.SeccompMode),
            "capamb" => TopFormats.CapabilitySet(process.Capabilities.Ambient),
            "capinh" => TopFormats.CapabilitySet(process.Capabilities.Inheritable),
            "capprm" => TopFormats.CapabilitySet(process.Capabilities.Permitted),
            "capeff" => TopFormats.CapabilitySet(process.Capabilities.Effective),
            "capbnd" => TopFormats.CapabilitySet(process.Capabilities.Bounding),
            _ => string.Empty,
        };

        private double Elapsed(ProcessInfo process) => Math.Max(0, uptime - (process.StartTicks / ClockTicks));

        private double Cpu(ProcessInfo process)
        {
            double elapsed = Elapsed(process);
            return elapsed <= 0 ? 0 : process.CpuTicks / ClockTicks / elapsed * 100;
        }

        private static string Tty(int ttyNr)
        {
            if (ttyNr == 0)
            {
                return "?";
            }

            int major = (ttyNr >> 8) & 0xfff;
            int minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
            return major is >= 136 and <= 143
                ? "pts/" + (((major - 136) * 256) + minor).ToString(CultureInfo.InvariantCulture)
                : $"{major.ToString(CultureInfo.InvariantCulture)}:{minor.ToString(CultureInfo.InvariantCulture)}";
        }

        /// <summary>The LSM label (SELinux, AppArmor); "?" where there is none, as psgo prints it.</summary>
        private static string Label(int hostPid)
        {
            try
            {
                return File.ReadAllText($"/proc/{hostPid.ToString(CultureInfo.InvariantCulture)}/attr/current").Trim('\n', '\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return "?";
            }
        }

        /// <summary>btime of /proc/stat: the boot time in seconds since the epoch, which start times count from.</summary>
        private static long BootTime()
        {
            foreach (string line in File.ReadLines("/proc/stat"))
            {
                if (line.StartsWith("btime ", StringComparison.Ordinal))
                {
                    return long.Parse(line["btime ".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            throw SkiffException.Internal("no btime in /proc/stat");
        }

        private static long Inside(IReadOnlyList<(long Inside, long Outside, long Count)> map, uint hostId)
        {
            foreach ((long inside, long outside, long count) in map)
            {
                if (hostId >= outside && hostId < outside + count)
                {
                    return hostId - outside + inside;
                }
            }

            return map.Count == 0 ? hostId : 65534;
        }

        private static string Name(string? file, long id)
        {
            string text = id.ToString(CultureInfo.InvariantCulture);
            foreach (string line in (file ?? string.Empty).Split('\n'))
            {
                string[] fields = line.Split(':');
                if (fields.Length >= 3 && fields[2] == text && fields[0].Length > 0)
                {
                    return fields[0];
                }
            }

            return text;
        }

        private static IReadOnlyList<(long, long, long)> IdMap(int pid, string file)
        {
            var map = new List<(long, long, long)>();
            try
            {
                foreach (string line in File.ReadAllLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/{file}"))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length == 3)
                    {
                        map.Add((long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
            }

            return map;
        }

        private static string? HostAccountFile(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The container's account file through /proc/PID/root, confined to that root (user names, like podman).</summary>
        private static string? AccountFile(int pid, string path)
        {
            try
            {
                return UserResolver.Decode(Runtime.Fds.RootedFile.TryReadAll($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/root", path, UserResolver.MaxFileSize));
            }
            catch (Exception e) when (e is SkiffException or IOException)
            {
                return null;
            }
        }
    }
}
