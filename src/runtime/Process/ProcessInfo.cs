using System.Globalization;

namespace Skiff.Runtime.Process;

/// <summary>
/// One process as /proc shows it to anyone (stat, status and cmdline are world-readable): host and
/// namespace pids, ids, supplementary groups, terminal, CPU ticks, start time, nice, memory, capability sets and
/// seccomp mode, for <c>top</c>. Only the kernel writes these files; the one field a process chooses (its comm) is
/// found between the first '(' and the last ')' of stat, and status escapes it.
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

    /// <summary>The process group in the innermost pid namespace (last NSpgid field; 0 when the group's leader is outside it).</summary>
    public int Pgid { get; init; }

    public int Nice { get; init; }

    /// <summary>Virtual memory size in bytes (stat's vsize).</summary>
    public ulong VirtualBytes { get; init; }

    /// <summary>VmRSS in KiB; null for kernel threads and zombies, which have no memory of their own.</summary>
    public ulong? RssKib { get; init; }

    /// <summary>Supplementary groups as the host sees them, in the kernel's (sorted) order.</summary>
    public IReadOnlyList<uint> HostGroups { get; init; } = [];

    public ProcessCapabilities Capabilities { get; init; } = new(0, 0, 0, 0, 0);

    /// <summary>The Seccomp field of status: 0 disabled, 1 strict, 2 filter; null when the kernel has no seccomp.</summary>
    public int? SeccompMode { get; init; }

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
        // fields[0] is stat field 3 (state): ppid 4, pgrp 5, tty_nr 7, utime 14, stime 15, nice 19, starttime 22, vsize 23.
        if (fields.Length < 21)
        {
            return null;
        }

        int pid = hostPid;
        int pgid = int.Parse(fields[2], CultureInfo.InvariantCulture);
        uint uid = 0, gid = 0;
        ulong? rss = null;
        int? seccomp = null;
        var groups = new List<uint>();
        ulong inheritable = 0, permitted = 0, effective = 0, bounding = 0, ambient = 0;
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
                case "NSpgid:":
                    pgid = int.Parse(parts[^1], CultureInfo.InvariantCulture);
                    break;
                case "Groups:":
                    groups.AddRange(parts[1..].Select(g => uint.Parse(g, CultureInfo.InvariantCulture)));
                    break;
                case "VmRSS:":
                    rss = ulong.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "Seccomp:":
                    seccomp = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    break;
                case "CapInh:":
                    inheritable = Mask(parts[1]);
                    break;
                case "CapPrm:":
                    permitted = Mask(parts[1]);
                    break;
                case "CapEff:":
                    effective = Mask(parts[1]);
                    break;
                case "CapBnd:":
                    bounding = Mask(parts[1]);
                    break;
                case "CapAmb:":
                    ambient = Mask(parts[1]);
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
            Pgid = pgid,
            Nice = int.Parse(fields[16], CultureInfo.InvariantCulture),
            VirtualBytes = ulong.Parse(fields[20], CultureInfo.InvariantCulture),
            RssKib = rss,
            HostGroups = groups,
            Capabilities = new ProcessCapabilities(inheritable, permitted, effective, bounding, ambient),
            SeccompMode = seccomp,
        };
    }

    private static ulong Mask(string hex) => ulong.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

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
