using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Mounts;

namespace Skiff.Rootless.Network;

/// <summary>
/// A pasta a prepared monitor starts before it knows its container, when the CLI hinted that the container
/// will use pasta with nothing of its own for pasta (no options, no ports pasta serves). pasta's start-up
/// (~20 ms of its CPU, mostly page faults of its packet pools) then overlaps the CLI's work instead of
/// following it. It runs on a network namespace bound in a directory of its own under the run root; a
/// container whose configuration asks for exactly this pasta adopts it (the namespace is bound again at the
/// container's file, and the directory stays, marked, until the container is disconnected: pasta watches it and
/// quits by itself when its namespace file is deleted), anything else stops it.
/// </summary>
public sealed class EarlyPasta
{
    /// <summary>The namespace, the tap and pasta's spawn, on a thread of their own (<see cref="Start"/>).</summary>
    private readonly Task<Launch> launching;

    /// <summary>Done once the launch bound the namespace (or failed to): what <see cref="Adopt"/> waits for.</summary>
    private readonly TaskCompletionSource namespaceMade = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly Lock gate = new();

    /// <summary>pasta once spawned (under <see cref="gate"/>), for <see cref="Continue"/>.</summary>
    private PastaForeground? spawned;

    /// <summary><see cref="Continue"/> came (under <see cref="gate"/>): a pasta spawned afterwards is continued at once.</summary>
    private bool resumed;

    private EarlyPasta(string directory, string signature, PastaOptions options, Func<IReadOnlyList<string>, SafeFileHandle?, PastaForeground> spawn, Action afterSpawn)
    {
        Directory = directory;
        Signature = signature;
        launching = Skiff.Runtime.Threading.BackgroundThread.Run("pasta launch", () => LaunchOn(options, spawn, afterSpawn));
    }

    /// <summary>What the launch thread made: pasta's foreground part, and whether it got a tap skiff configured.</summary>
    private sealed record Launch(PastaForeground Startup, bool Configured);

    /// <summary>
    /// skiff made and configured the namespace's tap (<see cref="PastaTap"/>) and gave it to pasta: the container
    /// may start before pasta's foreground part is done (<see cref="StartupExit"/> says when it is). Waits for the launch.
    /// </summary>
    public bool Configured => Launched()?.Configured == true;

    /// <summary>Continues a pasta stopped until now (<see cref="PastaForeground.Continue"/>), or one spawned from now on.</summary>
    public void Continue()
    {
        lock (gate)
        {
            resumed = true;
            spawned?.Continue();
        }
    }

    /// <summary>Gives pasta's start-up its normal priority back (<see cref="PastaForeground.RestorePriority"/>).</summary>
    public void RestorePriority() => Launched()?.Startup.RestorePriority();

    /// <summary>Readable once pasta's foreground part exited (null when no pidfd could be opened, or it never started: then <see cref="Complete"/> waits or throws).</summary>
    public SafeFileHandle? StartupExit => Launched()?.Startup.Exit;

    /// <summary>The directory holding the early namespace file and pasta's pid file.</summary>
    public string Directory { get; }

    /// <summary>pasta's arguments without the paths that differ (<see cref="SignatureOf"/>): what a container must ask for to adopt it.</summary>
    public string Signature { get; }

    private const string Prefix = ".early-";

    private string NamespaceFile => NamespaceFileIn(Directory);

    private string PidFile => PidFileIn(Directory);

    /// <summary>
    /// Makes a namespace under <paramref name="store"/>'s run root and spawns pasta on it (<paramref name="spawn"/>
    /// with the given arguments); its foreground part is waited for only when the container needs it. All of it
    /// (~6 ms: the namespace, the host's routes read, the tap configured, pasta spawned) happens on a thread of its
    /// own, then <paramref name="afterSpawn"/>: a prepared monitor is ready only about when the CLI has sent its
    /// container, so whatever it did before waiting for it was on the container's start path. The container's
    /// adoption (<see cref="Adopt"/>) waits for the namespace alone.
    /// </summary>
    public static EarlyPasta Start(ContainerStore store, PastaOptions options, Func<IReadOnlyList<string>, SafeFileHandle?, PastaForeground> spawn, Action afterSpawn)
    {
        string directory = store.RunDirectory(Prefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllBytes(NamespaceFileIn(directory), []);
        return new EarlyPasta(directory, SignatureOf(options), options, spawn, afterSpawn);
    }

    /// <summary>On the launch thread: the namespace, the tap where skiff can make it, then pasta, stopped unless the container came meanwhile.</summary>
    private Launch LaunchOn(PastaOptions options, Func<IReadOnlyList<string>, SafeFileHandle?, PastaForeground> spawn, Action afterSpawn)
    {
        string netns = NamespaceFile;
        try
        {
            Skiff.Runtime.Namespaces.ThreadNetworkNamespace.CreateBound(netns);
        }
        catch (Exception e)
        {
            namespaceMade.SetException(e);
            throw;
        }

        namespaceMade.SetResult();
        // Where skiff can, it makes and configures the tap itself (PastaTap); pasta keeps the only descriptor of it.
        using SafeFileHandle? tap = options.ExtraArguments.Count == 0 && options.Ports.Count == 0 ? PastaTap.TryCreate(netns) : null;
        PastaOptions early = options with { PidFile = PidFileIn(Directory), TapDescriptor = tap is null ? null : PastaForeground.TapDescriptor };
        PastaForeground startup = spawn(PastaNetwork.BuildArguments(early, netns), tap);
        lock (gate)
        {
            spawned = startup;
            if (resumed)
            {
                startup.Continue();
            }
        }

        try
        {
            afterSpawn();
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            // Only housekeeping: this pasta is spawned and must not read as failed.
        }

        return new Launch(startup, tap is not null);
    }

    /// <summary>Waits for the launch; null when it failed (pasta could not be spawned: nothing of it runs).</summary>
    private Launch? Launched()
    {
        try
        {
            return launching.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Stops the pastas and removes the namespaces of early directories whose monitor is gone (killed before it
    /// knew its container, or whose container is gone): nothing else deletes them, and their pastas would run on.
    /// </summary>
    public static void SweepAbandoned(ContainerStore store, Action<string> stop)
    {
        string parent = Path.GetDirectoryName(store.RunDirectory("-"))!;
        IEnumerable<string> directories;
        try
        {
            directories = System.IO.Directory.EnumerateDirectories(parent, Prefix + "*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (string directory in directories)
        {
            if (OwnerOf(directory) is not int pid
                || pid == Environment.ProcessId
                || IsMonitor(pid)
                || AdoptedByExisting(directory))
            {
                continue;
            }

            stop(PidFileIn(directory));
            NetworkNamespaceFile.Remove(NamespaceFileIn(directory));
            Skiff.Core.Files.DirectoryTree.TryDelete(directory);
        }
    }

    /// <summary>pasta's arguments for <paramref name="options"/> with the pid file, namespace path, quit mode and tap left out.</summary>
    public static string SignatureOf(PastaOptions options) =>
        string.Join('\0', PastaNetwork.BuildArguments(options with { PidFile = string.Empty, TapDescriptor = null }, string.Empty));

    /// <summary>
    /// Binds the early namespace at <paramref name="netnsPath"/> (the container's file) too and marks the
    /// directory as the container's (<paramref name="runDirectory"/>), so no monitor sweeps it.
    /// </summary>
    public void Adopt(string netnsPath, string runDirectory)
    {
        namespaceMade.Task.GetAwaiter().GetResult();
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(netnsPath)!);
        NetworkNamespaceFile.Remove(netnsPath);
        File.WriteAllBytes(netnsPath, []);
        new LinuxMountSyscalls().Mount(NamespaceFile, netnsPath, null, MountFlags.Bind, null);
        File.WriteAllText(Path.Combine(Directory, AdoptedMarker), runDirectory);
    }

    /// <summary>The file naming the run directory of the container that adopted an early directory.</summary>
    public const string AdoptedMarker = "adopted-by";

    /// <summary>Where a container's run directory names the early directory it adopted (see <see cref="Remove"/>).</summary>
    public const string LinkFile = "pasta.early";

    /// <summary>
    /// Removes the early directory the container in <paramref name="runDirectory"/> adopted, if any: deleting its
    /// namespace file also makes its pasta quit. Never throws.
    /// </summary>
    public static void Remove(ContainerStore store, string runDirectory)
    {
        string link = Path.Combine(runDirectory, LinkFile);
        if (!File.Exists(link))
        {
            // Most containers adopted none: no exception for that on every container's end.
            return;
        }

        string directory;
        try
        {
            directory = File.ReadAllText(link).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        // Only ever a directory of ours: RUNROOT/containers/.early-PID.
        if (Path.GetDirectoryName(directory) == Path.GetDirectoryName(store.RunDirectory("-")) && OwnerOf(directory) is not null)
        {
            NetworkNamespaceFile.Remove(NamespaceFileIn(directory));
            Skiff.Core.Files.DirectoryTree.TryDelete(directory);
        }

        try
        {
            File.Delete(link);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Waits until the namespace shows what <paramref name="plan"/> predicts (true) or pasta's foreground part
    /// exited first (false); <see cref="Complete"/> follows either way.
    /// </summary>
    public bool WaitConfigured(PastaNamespacePlan plan) => Launched()?.Startup.WaitConfigured(NamespaceFile, plan) == true;

    /// <summary>
    /// Waits until pasta's foreground part exited and returns the pid of its daemon; throws pasta's
    /// SkiffException when it failed (or the launch's error when it could not be spawned).
    /// </summary>
    public int Complete()
    {
        PastaForeground startup = launching.GetAwaiter().GetResult().Startup;
        startup.Wait();
        startup.Dispose();
        int pid = int.TryParse(File.ReadAllText(PidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int daemon)
            ? daemon
            : throw new IOException($"pasta wrote no pid to {PidFile}");
        if (startup.Yielded)
        {
            // Forked before the foreground part got its priority back, the daemon would keep nice 19.
            ProcessPriority.TrySet(pid, 0);
        }

        return pid;
    }

    /// <summary>
    /// Stops this pasta without waiting for its start-up (the foreground part is killed, a daemon it forked already
    /// stopped through its pid file; it quits anyway when its namespace file goes); never throws. For a container
    /// that ended before pasta's start-up did. Its namespace and directory stay for <see cref="RemoveFiles"/>.
    /// An early pasta binds no port, so nothing waits for the killed foreground's memory to be released either.
    /// </summary>
    public void Abort(Action<string> stop)
    {
        if (Launched()?.Startup is { } startup)
        {
            startup.Kill(waitUntilGone: false);
            startup.Dispose();
        }

        stop(PidFile);
    }

    /// <summary>Removes the namespace and directory of a pasta <see cref="Abort"/> stopped; never throws.</summary>
    public void RemoveFiles()
    {
        NetworkNamespaceFile.Remove(NamespaceFile);
        Skiff.Core.Files.DirectoryTree.TryDelete(Directory);
    }

    /// <summary>Stops this pasta (once its start-up is over) and removes its namespace and directory; never throws.</summary>
    public void Discard(Action<string> stop)
    {
        if (Launched()?.Startup is { } startup)
        {
            try
            {
                startup.Wait();
            }
            catch (Exception)
            {
                // Its failure was not the container's: nothing to report, only to clean up.
            }

            startup.Dispose();
        }

        stop(PidFile);
        NetworkNamespaceFile.Remove(NamespaceFile);
        Skiff.Core.Files.DirectoryTree.TryDelete(Directory);
    }

    private static string NamespaceFileIn(string directory) => Path.Combine(directory, "netns");

    private static string PidFileIn(string directory) => Path.Combine(directory, "pasta.pid");

    /// <summary>The monitor pid an early directory is named after (<c>.early-PID</c>); null for any other name.</summary>
    private static int? OwnerOf(string directory)
    {
        string name = Path.GetFileName(directory);
        return name.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                ? pid
                : null;
    }

    /// <summary>Whether a container adopted the early directory and its run directory still exists.</summary>
    private static bool AdoptedByExisting(string directory)
    {
        try
        {
            return System.IO.Directory.Exists(File.ReadAllText(Path.Combine(directory, AdoptedMarker)).Trim());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="pid"/> is a skiff monitor (a pid of a gone monitor may have been reused).</summary>
    private static bool IsMonitor(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cmdline").Contains("\0__monitor\0", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
