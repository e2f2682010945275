using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Core.IdMaps;
using Skiff.Core.Paths;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Storage;

/// <summary>
/// The per-user process that keeps skiff's rootless user namespace alive (podman's "pause process"), so a
/// rootless command joins that namespace (setns, microseconds) instead of creating one and mapping the
/// subordinate ids through newuidmap/newgidmap every time. The holder is skiff started with
/// <see cref="PauseVariable"/>: its native entry stage creates the namespace, forks, and the child sleeps
/// without ever starting .NET. It is recorded in <c>pause.pid</c> under the user's runtime directory
/// (not under --runroot: one namespace per user, as podman's), started on first need, checked before every
/// use (pid, start time, namespace inode, id maps) and replaced when dead or when the maps changed.
/// Killing it is harmless: running containers keep their namespace; the next command makes a new holder.
/// It also ends by itself within about 20 s once its record is removed (runtime directory deleted) or replaced.
/// </summary>
public sealed class UserNamespaceHolder(string directory)
{
    /// <summary>
    /// Tells the native entry stage to hold the namespaces instead of starting .NET (see nsenter.c); the value is
    /// the record's path: the holder ends by itself once the record is gone or names another holder.
    /// </summary>
    public const string PauseVariable = "_SKIFF_NS_PAUSE";

    /// <summary>Read by the native entry stage too (nsenter.c), which joins the holder without starting .NET twice.</summary>
    public const string StateFileName = "pause.pid";

    public const string SubordinateUids = "/etc/subuid";

    public const string SubordinateGids = "/etc/subgid";

    public string StateFile => Path.Combine(directory, StateFileName);

    private string LockFile => Path.Combine(directory, "pause.lock");

    /// <summary>The holder of the user running skiff: recorded in skiff's default rootless runroot, whatever --runroot says.</summary>
    public static UserNamespaceHolder ForUser(uint uid)
    {
        var environment = new Dictionary<string, string?>
        {
            ["XDG_RUNTIME_DIR"] = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"),
            ["HOME"] = Environment.GetEnvironmentVariable("HOME"),
        };
        return new UserNamespaceHolder(StorePaths.ForCurrentUser(environment, uid, rootless: true).RunRoot);
    }

    /// <summary>
    /// The pid of a live holder with <paramref name="map"/>, starting one first when there is none (through
    /// <paramref name="launcher"/>, which writes the maps, and <paramref name="executable"/>, skiff itself);
    /// null when the runtime directory cannot hold its record (not ours, read-only): the caller then makes
    /// a user namespace of its own, as before there were holders.
    /// </summary>
    public async Task<int?> EnsureAsync(IdMap map, NamespaceLauncher launcher, string executable, CancellationToken cancellationToken = default)
    {
        string maps = UserNamespaceHolderRecord.DescribeMaps(map);
        string stamps = UserNamespaceHolderRecord.DescribeSubordinateFiles(SubordinateUids, SubordinateGids);
        if (TryReadRecord() is { } current && IsLive(current) && current.Maps == maps && current.SubordinateFiles == stamps)
        {
            return current.Pid;
        }

        DescriptorLock held;
        try
        {
            Directory.CreateDirectory(directory);
            held = DescriptorLock.Acquire(LockFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SystemCallException)
        {
            return null;
        }

        using (held)
        {
            return await ReplaceAsync(map, launcher, executable, maps, stamps, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<int> ReplaceAsync(IdMap map, NamespaceLauncher launcher, string executable, string maps, string stamps, CancellationToken cancellationToken)
    {
        // Another command may have started one while we waited for the lock.
        UserNamespaceHolderRecord? found = TryReadRecord();
        if (found is not null && IsLive(found))
        {
            if (found.Maps == maps)
            {
                // The files changed but not this user's ranges (another user was added, say): the holder stays,
                // and its record takes the files' new stamps, or the native entry stage would never join it
                // again and every command would come this slower way.
                if (found.SubordinateFiles != stamps)
                {
                    AtomicFile.Replace(StateFile, System.Text.Encoding.UTF8.GetBytes((found with { SubordinateFiles = stamps }).Format()));
                }

                return found.Pid;
            }

            // /etc/subuid or /etc/subgid changed: a namespace with the old maps must not be used for new work.
            ChildProcesses.TrySignal(found.Pid, 9);
        }

        int pid = await StartAsync(map, launcher, executable, StateFile, cancellationToken).ConfigureAwait(false);
        long start = ProcessStartTime.TryRead(pid) ?? throw SkiffException.Internal("the rootless user namespace holder ended at once");
        string userNamespace = NamespaceOf(pid) ?? throw SkiffException.Internal("cannot read the rootless user namespace holder's namespace");
        AtomicFile.Replace(StateFile, System.Text.Encoding.UTF8.GetBytes(new UserNamespaceHolderRecord(pid, start, userNamespace, stamps, maps).Format()));
        return pid;
    }

    /// <summary>The recorded holder while it runs, whatever its maps; null when there is none.</summary>
    public UserNamespaceHolderRecord? Running() => TryReadRecord() is { } found && IsLive(found) ? found : null;

    /// <summary>True when a holder runs whose maps are not <paramref name="map"/> (/etc/subuid or /etc/subgid changed since it started).</summary>
    public bool RunningWithOtherMaps(IdMap map) => Running() is { } found && found.Maps != UserNamespaceHolderRecord.DescribeMaps(map);

    /// <summary>
    /// Stops the holder (as <c>podman system migrate</c> does); the next rootless command starts a new one.
    /// Returns the pid that was stopped, or null when none ran. Never signals a process that is not the holder.
    /// </summary>
    public int? Stop()
    {
        Directory.CreateDirectory(directory);
        using DescriptorLock held = DescriptorLock.Acquire(LockFile);
        int? stopped = null;
        if (Running() is { } found)
        {
            ChildProcesses.TrySignal(found.Pid, 9);
            stopped = found.Pid;
        }

        try
        {
            File.Delete(StateFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        return stopped;
    }

    private static async Task<int> StartAsync(IdMap map, NamespaceLauncher launcher, string executable, string stateFile, CancellationToken cancellationToken)
    {
        using SafeFileHandle nullIn = Descriptors.OpenNull(write: false);
        using SafeFileHandle nullOut = Descriptors.OpenNull(write: true);

        // Only what the entry stage reads: the holder never runs .NET, and its environment is readable in /proc.
        var spawn = new SpawnRequest(executable, ["__pause"], new Dictionary<string, string> { [PauseVariable] = stateFile })
        {
            Descriptors = [(nullIn, 0), (nullOut, 1), (nullOut, 2)],
            NewSession = true,
        };
        using NamespacedProcess holder = await launcher.StartAsync(spawn, new NamespaceRequest(NamespaceKinds.User, Maps: map), cancellationToken).ConfigureAwait(false);
        return holder.Pid;
    }

    private UserNamespaceHolderRecord? TryReadRecord()
    {
        try
        {
            return UserNamespaceHolderRecord.TryParse(File.ReadAllText(StateFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The recorded process still runs (same start time) and still holds the recorded namespace.</summary>
    private static bool IsLive(UserNamespaceHolderRecord found) =>
        ProcessStartTime.IsAlive(found.Pid, found.StartTime) && NamespaceOf(found.Pid) == found.UserNamespace;

    private static string? NamespaceOf(int pid)
    {
        try
        {
            return new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/user").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
