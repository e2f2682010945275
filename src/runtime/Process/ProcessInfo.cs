using System.Globalization;

namespace Skiff.Runtime.Process;

/// <summary>
/// One process as /proc shows it to anyone (stat, status and cmdline are world-readable): host and
/// namespace pids, ids, terminal, CPU ticks and start time, for <c>top</c>.
/// </summary>
public sealed record ProcessInfo
{
    public required int HostPid { get; init; }

    /// <summary>The pid in the innermost pid namespace (last NSpid field).</summary>
    public required int Pid { get; init; }

    public required int HostPpid { get; init; }

    /// <summary>Effective uid and gid as the host sees them.</summary>
    public required uint HostUid { get; init; }

    public required uint HostGid { get; init; }

    /// <summary>tty_nr from stat: 0 when the process has no controlling terminal.</summary>
    public required int TtyNr { get; init; }

    /// <summary>utime + stime in clock ticks.</summary>
    public required ulong CpuTicks { get; init; }

    /// <summary>Start time in clock ticks after boot.</summary>
    public required ulong StartTicks { get; init; }

    public required string Comm { get; init; }

    /// <summary>The argv (empty for kernel threads and zombies).</summary>
    public required IReadOnlyList<string> Args { get; init; }

    public required char State { get; init; }

    /// <summary>Parses the three files; null when they are malformed (a process that vanished half-way).</summary>
    public static ProcessInfo? Parse(int hostPid, string stat, string status, byte[] cmdline)
    {
        int open = stat.IndexOf('(');
        int close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        string[] fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is stat field 3 (state): ppid 4, tty_nr 7, utime 14, stime 15, starttime 22.
        if (fields.Length < 20)
        {
            return null;
        }

        int pid = hostPid;
        uint uid = 0, gid = 0;
        foreach (string line in status.Split('\n'))
        {
            string[] parts = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2)
            {
                continue;
            }

            switch (parts[0])
            {
                case "NSpid:":
                    pid = int.Parse(parts[^1], CultureInfo.InvariantCulture);
                    break;
                case "Uid:" when parts.Length >= 3:
                    uid = uint.Parse(parts[2], CultureInfo.InvariantCulture);
                    break;
                case "Gid:" when parts.Length >= 3:
                    gid = uint.Parse(parts[2], CultureInfo.InvariantCulture);
                    break;
            }
        }

        var args = new List<string>();
        int start = 0;
        for (int i = 0; i < cmdline.Length; i++)
        {
            if (cmdline[i] == 0)
            {
                args.Add(System.Text.Encoding.UTF8.GetString(cmdline, start, i - start));
                start = i + 1;
            }
        }

        if (start < cmdline.Length)
        {
            args.Add(System.Text.Encoding.UTF8.GetString(cmdline, start, cmdline.Length - start));
        }

        return new ProcessInfo
        {
            HostPid = hostPid,
            Pid = pid,
            HostPpid = int.Parse(fields[1], CultureInfo.InvariantCulture),
            HostUid = uid,
            HostGid = gid,
            TtyNr = int.Parse(fields[4], CultureInfo.InvariantCulture),
            CpuTicks = ulong.Parse(fields[11], CultureInfo.InvariantCulture) + ulong.Parse(fields[12], CultureInfo.InvariantCulture),
            StartTicks = ulong.Parse(fields[19], CultureInfo.InvariantCulture),
            Comm = stat[(open + 1)..close],
            Args = args,
            State = fields[0][0],
        };
    }

    /// <summary>Reads a live process; null when it is gone.</summary>
    public static ProcessInfo? TryRead(int hostPid)
    {
        string directory = "/proc/" + hostPid.ToString(CultureInfo.InvariantCulture);
        try
        {
            return Parse(hostPid, File.ReadAllText(directory + "/stat"), File.ReadAllText(directory + "/status"), File.ReadAllBytes(directory + "/cmdline"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
