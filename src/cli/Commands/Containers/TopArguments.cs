namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// What <c>top</c>'s arguments ask for, decided as podman 4.3 does: split at commas, they are format descriptors
/// (names or AIX % codes) when every one is a descriptor podman knows; otherwise they are ps(1) options
/// (<c>-ef</c>, <c>aux</c>, <c>-o pid,user</c>, <c>-eo pid,comm</c>) and ps runs in the container with them as given.
/// </summary>
public sealed class TopArguments
{
    private static readonly string[] DefaultDescriptors = ["user", "pid", "ppid", "pcpu", "etime", "tty", "time", "args"];

    private static readonly Dictionary<string, string> AixCodes = new()
    {
        ["%C"] = "pcpu", ["%G"] = "group", ["%P"] = "ppid", ["%U"] = "user", ["%a"] = "args", ["%c"] = "comm",
        ["%g"] = "rgroup", ["%p"] = "pid", ["%t"] = "etime", ["%u"] = "ruser", ["%x"] = "time", ["%y"] = "tty",
        ["%n"] = "nice", ["%r"] = "pgid", ["%z"] = "vsz",
    };

    private static readonly Dictionary<string, string> ColumnHeaders = new()
    {
        ["user"] = "USER", ["ruser"] = "RUSER", ["huser"] = "HUSER", ["group"] = "GROUP", ["rgroup"] = "RGROUP", ["hgroup"] = "HGROUP",
        ["pid"] = "PID", ["ppid"] = "PPID", ["hpid"] = "HPID", ["pcpu"] = "%CPU", ["etime"] = "ELAPSED", ["tty"] = "TTY",
        ["time"] = "TIME", ["args"] = "COMMAND", ["comm"] = "COMMAND", ["state"] = "STATE", ["groups"] = "GROUPS",
        ["hgroups"] = "HGROUPS", ["nice"] = "NI", ["pgid"] = "PGID", ["vsz"] = "VSZ", ["rss"] = "RSS", ["stime"] = "STIME",
        ["label"] = "LABEL", ["seccomp"] = "SECCOMP", ["capamb"] = "AMBIENT CAPS", ["capinh"] = "INHERITED CAPS",
        ["capprm"] = "PERMITTED CAPS", ["capeff"] = "EFFECTIVE CAPS", ["capbnd"] = "BOUNDING CAPS",
    };

    private TopArguments(IReadOnlyList<string> descriptors, IReadOnlyList<string>? psArguments)
    {
        Descriptors = descriptors;
        PsArguments = psArguments;
    }

    /// <summary>The columns to print from /proc (empty when ps runs instead).</summary>
    public IReadOnlyList<string> Descriptors { get; }

    /// <summary>The arguments for ps(1) in the container, or null for descriptors.</summary>
    public IReadOnlyList<string>? PsArguments { get; }

    public static string Header(string descriptor) => ColumnHeaders[descriptor];

    public static TopArguments Parse(IReadOnlyList<string> arguments)
    {
        List<string> descriptors = arguments
            .SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries))
            .Select(d => AixCodes.GetValueOrDefault(d, d))
            .ToList();
        if (descriptors.Any(d => !ColumnHeaders.ContainsKey(d)))
        {
            return new TopArguments([], [.. arguments]);
        }

        return new TopArguments(descriptors.Count == 0 ? DefaultDescriptors : descriptors, null);
    }
}
