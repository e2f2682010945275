using System.Globalization;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// The per-user rootless network namespace (podman's rootless-netns): one user namespace U and one network
/// namespace N in it, held by a <c>sleep infinity</c> started with <c>unshare --net</c>, with the networks'
/// bridges inside N and one pasta connecting N to the outside. Containers on user networks run in U (run
/// joins it instead of making a fresh user namespace), so their namespaces and N have one owner and veth
/// pairs can join them. It lives while a process that uses it is registered here: skiff commands that are
/// starting containers and the monitors of connected containers; the last one to leave stops it.
/// </summary>
public sealed class RootlessNetworkNamespace(string runRoot)
{
    /// <summary>
    /// The MTU of the containers' veth pairs in the namespace: pasta's own link is 65520, and every packet
    /// between a container and the outside passes through pasta, which does per-packet work; at the
    /// kernel's 1500 a download from the host ran at 30 MB/s, at 65520 at pasta's full speed (bench/net.sh).
    /// </summary>
    public const int LinkMtu = 65520;

    public string Directory { get; } = Path.Combine(runRoot, "networks");

    public string StateFile => Path.Combine(Directory, "rootless-netns.pid");

    public string PastaPidFile => Path.Combine(Directory, "rootless-netns-pasta.pid");

    /// <summary>The namespace bound to a file for pasta, inside the setup's mount namespace only (which pasta keeps).</summary>
    public string BoundNetnsFile => Path.Combine(Directory, "rootless-netns");

    private string UsersDirectory => Path.Combine(Directory, "users");

    public DescriptorLock Lock()
    {
        System.IO.Directory.CreateDirectory(Directory);
        return DescriptorLock.Acquire(Path.Combine(Directory, "rootless-netns.lock"));
    }

    /// <summary>The holder's pid while it runs (checked against its recorded start time, so a recycled pid does not count).</summary>
    public int? RunningPid()
    {
        string[] fields;
        try
        {
            fields = File.ReadAllText(StateFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        if (fields.Length == 2 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && StartTime(pid) is string started && started == fields[1])
        {
            return pid;
        }

        return null;
    }

    /// <summary>The network namespace holding the bridges, as a path other processes in U can enter.</summary>
    public static string NetnsPath(int holderPid) => $"/proc/{holderPid.ToString(CultureInfo.InvariantCulture)}/ns/net";

    public void Record(int holderPid)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(StateFile, $"{holderPid.ToString(CultureInfo.InvariantCulture)} {StartTime(holderPid)}\n");
    }

    /// <summary>Registers <paramref name="pid"/> as a user; the caller holds <see cref="Lock"/>.</summary>
    public void AddUser(int pid)
    {
        System.IO.Directory.CreateDirectory(UsersDirectory);
        File.WriteAllText(Path.Combine(UsersDirectory, pid.ToString(CultureInfo.InvariantCulture)), StartTime(pid) ?? string.Empty);
    }

    public void RemoveUser(int pid) => TryDelete(Path.Combine(UsersDirectory, pid.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Stops the holder and its pasta when no live process uses them; the caller holds <see cref="Lock"/>. Never throws.</summary>
    public void StopIfUnused()
    {
        if (!HasUsers())
        {
            Stop();
        }
    }

    public void Stop()
    {
        // The networks' DNS servers run in the namespace and would keep it alive.
        new Dns.NetworkDns(Directory, rootless: true, nsenter: "nsenter").StopAll();
        if (RunningPid() is int holder)
        {
            ChildProcesses.TrySignal(holder, 9);
        }

        if (TryReadPid(PastaPidFile) is int pasta && ReadCommandLine(pasta).Contains(PastaPidFile, StringComparison.Ordinal))
        {
            ChildProcesses.TrySignal(pasta, 15);
        }

        TryDelete(StateFile);
        TryDelete(BoundNetnsFile);
        TryDelete(PastaPidFile);
    }

    private bool HasUsers()
    {
        if (!System.IO.Directory.Exists(UsersDirectory))
        {
            return false;
        }

        bool any = false;
        foreach (string file in System.IO.Directory.EnumerateFiles(UsersDirectory))
        {
            bool alive = int.TryParse(Path.GetFileName(file), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && StartTime(pid) is string started && File.ReadAllText(file).Trim() == started;
            if (alive)
            {
                any = true;
            }
            else
            {
                TryDelete(file);
            }
        }

        return any;
    }

    /// <summary>Field 22 of /proc/PID/stat (start time in clock ticks since boot), or null when the process is gone.</summary>
    private static string? StartTime(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return rest.Length > 19 ? rest[19] : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int? TryReadPid(string file)
    {
        try
        {
            return int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
