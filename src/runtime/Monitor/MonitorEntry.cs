using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// <c>skiff __monitor ROOT RUNROOT ID [--attached]</c>: the hidden verb the CLI re-executes itself as.
/// Program.cs dispatches here before building the command tree, so the long-lived monitor touches as
/// little code (and memory) as possible. fd 3 is the sync socket; with --attached, fd 4 is a first
/// attach client connected before the container starts, so a foreground run misses no output.
/// </summary>
public static class MonitorEntry
{
    public const string Verb = "__monitor";

    /// <param name="args">The monitor's command line.</param>
    /// <param name="populator">Fills new volumes with the image's content.</param>
    /// <param name="network">Makes the network connector for a container (Program.cs supplies the real one).</param>
    /// <param name="builtInRuntime">Makes skiff's own runtime for a state root, run in this process for containers that use it.</param>
    public static int Run(
        string[] args,
        Volumes.IVolumePopulator? populator = null,
        Func<ContainerStore, IContainerNetwork>? network = null,
        Func<string, Containers.OciRuntime>? builtInRuntime = null)
    {
        if (args.Length < 4 || args[0] != Verb)
        {
            Console.Error.WriteLine("usage: skiff __monitor ROOT RUNROOT ID [--attached]");
            return 125;
        }

        var store = new ContainerStore(args[1], args[2]);
        string id = args[3];
        var sync = new SafeFileHandle(MonitorLauncher.SyncFd, ownsHandle: true);
        SafeFileHandle? first = args.Length > 4 && args[4] == "--attached" ? new SafeFileHandle(MonitorLauncher.AttachFd, ownsHandle: true) : null;
        ContainerConfig config = store.ReadConfig(id);
        var runtime = new RuntimeInvoker(OciRuntimes.For(config.Runtime, store, id, config.SystemdCgroup));
        return new ContainerMonitor(store, id, runtime, TimeProvider.System, network?.Invoke(store))
        {
            Volumes = new Volumes.VolumeStore(args[1]),
            Populator = populator,
            BuiltIn = config.Runtime == OciRuntimes.BuiltIn ? builtInRuntime?.Invoke(store.RuntimeRoot) : null,
        }.Run(sync, first);
    }
}
