using System.CommandLine;
using System.Globalization;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Process;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff top CONTAINER [DESCRIPTORS...]</c>: the container's processes from /proc, as podman top
/// prints them (USER PID PPID %CPU ELAPSED TTY TIME COMMAND by default; AIX descriptors, their %
/// codes, or ps-style <c>-o a,b</c> lists choose columns). Pids are the container's own.
/// </summary>
public static class TopCommand
{
    private const double ClockTicks = 100; // USER_HZ, the unit of /proc/PID/stat times on every Linux ABI.

    private static readonly string[] DefaultDescriptors = ["user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args"];

    private static readonly Dictionary<string, string> AixCodes = new()
    {
        ["%C"] = "pcpu", ["%G"] = "group", ["%P"] = "ppid", ["%U"] = "user", ["%a"] = "args", ["%c"] = "comm",
        ["%g"] = "rgroup", ["%p"] = "pid", ["%t"] = "etime", ["%u"] = "ruser", ["%x"] = "time", ["%y"] = "tty",
    };

    private static readonly Dictionary<string, string> Headers = new()
    {
        ["user"] = "USER", ["ruser"] = "RUSER", ["huser"] = "HUSER", ["group"] = "GROUP", ["rgroup"] = "RGROUP", ["hgroup"] = "HGROUP",
        ["pid"] = "PID", ["ppid"] = "PPID", ["hpid"] = "HPID", ["pcpu"] = "%CPU", ["etime"] = "ELAPSED", ["tty"] = "TTY",
        ["time"] = "TIME", ["args"] = "COMMAND", ["comm"] = "COMMAND", ["state"] = "STATE",
    };

    public static Command Create(GlobalOptions globals)
    {
        var container = new Argument<string>("container") { Description = "Container name or ID" };
        var descriptors = new Argument<string[]>("descriptors") { Arity = ArgumentArity.ZeroOrMore, Description = "Format descriptors (user, pid, ppid, pcpu, etime, tty, time, args, comm, ...)" };
        var command = new Command("top", "Display the running processes of a container") { container, descriptors };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = lifecycle.Store.Resolve(parse.GetValue(container)!);
            IReadOnlyList<string> columns = Descriptors(parse.GetValue(descriptors) ?? []);
            ContainerState state = lifecycle.Observe(id);
            if (!state.Running)
            {
                throw SkiffException.Conflict("top can only be used on running containers");
            }

            IReadOnlyList<ProcessInfo> processes = PidNamespaceMembers.List(state.Pid);
            var view = new ProcessView(state.Pid, processes, Uptime());
            var table = TabWriter.Docker();
            table.Write(string.Join('\t', columns.Select(c => Headers[c])) + "\n");
            foreach (ProcessInfo process in processes)
            {
                table.Write(string.Join('\t', columns.Select(c => view.Value(process, c))) + "\n");
            }

            context.Out.Write(table.Flush());
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>podman's descriptor list: names or AIX % codes, or a ps-style <c>-o LIST</c> / <c>-eo LIST</c>.</summary>
    public static IReadOnlyList<string> Descriptors(IReadOnlyList<string> arguments)
    {
        if (arguments.Count == 0)
        {
            return DefaultDescriptors;
        }

        var result = new List<string>();
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i];
            if (argument.StartsWith('-'))
            {
                if (argument.EndsWith('o') && i + 1 < arguments.Count)
                {
                    result.AddRange(arguments[++i].Split(',', StringSplitOptions.RemoveEmptyEntries));
                }

                continue;
            }

            result.AddRange(argument.Split(',', StringSplitOptions.RemoveEmptyEntries));
        }

        result = result.Select(d => AixCodes.GetValueOrDefault(d, d)).ToList();
        string? unknown = result.FirstOrDefault(d => !Headers.ContainsKey(d));
        if (unknown is not null)
        {
            throw SkiffException.InvalidArgument($"unknown descriptor: {unknown}", "use " + string.Join(", ", Headers.Keys));
        }

        return result.Count == 0 ? DefaultDescriptors : result;
    }

    private static double Uptime() =>
        double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>Column values for the processes of one container.</summary>
    private sealed class ProcessView(int containerPid, IReadOnlyList<ProcessInfo> processes, double uptime)
    {
        private readonly Dictionary<int, int> namespacePids = processes.ToDictionary(p => p.HostPid, p => p.Pid);
        private readonly IReadOnlyList<(long Inside, long Outside, long Count)> uidMap = IdMap(containerPid, "uid_map");
        private readonly IReadOnlyList<(long Inside, long Outside, long Count)> gidMap = IdMap(containerPid, "gid_map");
        private readonly Lazy<string?> passwd = new(() => AccountFile(containerPid, "/etc/passwd"));
        private readonly Lazy<string?> group = new(() => AccountFile(containerPid, "/etc/group"));

        public string Value(ProcessInfo process, string descriptor) => descriptor switch
        {
            "user" or "ruser" => Name(passwd.Value, Inside(uidMap, process.HostUid)),
            "huser" => process.HostUid.ToString(CultureInfo.InvariantCulture),
            "group" or "rgroup" => Name(group.Value, Inside(gidMap, process.HostGid)),
            "hgroup" => process.HostGid.ToString(CultureInfo.InvariantCulture),
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
