using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// <c>skiff __monitor ROOT RUNROOT ID [--attached] [--network-hint MODE] [--passthrough] [--preserve-fds N]</c>: the hidden verb the CLI re-executes itself as.
/// Program.cs dispatches here before building the command tree, so the long-lived monitor touches as
/// little code (and memory) as possible. fd 3 is the sync socket; with --attached, fd 4 is a first
/// attach client connected before the container starts, so a foreground run misses no output.
/// </summary>
public static class MonitorEntry
{
    public const string Verb = "__monitor";

    /// <summary>A prepared monitor's option naming the network its container will most likely use (<see cref="IContainerNetwork.PrepareEarly"/>).</summary>
    public const string NetworkHintOption = "--network-hint";

    /// <summary>
    /// <c>skiff __monitor-exit ROOT RUNROOT ID CODE [--health-check PID] [CLIENT-FD...]</c>: skiff-relay's way back when the container
    /// ended (CODE is -1 for a container killed at its --timeout, <see cref="MonitorRelay.TimedOutExitCode"/>).
    /// </summary>
    public const string ExitVerb = "__monitor-exit";

    /// <summary><see cref="ExitVerb"/>'s option for the pid of a scheduled healthcheck skiff-relay left running.</summary>
    public const string HealthCheckOption = "--health-check";

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

        if (!Skiff.Core.Users.CurrentUser.Detect().Rootless)
        {
            // The init's cgroup attach waits for an RCU grace period unless one was started shortly before.
            Cgroups.CgroupAttachWarmUp.Start();
        }

        var store = new ContainerStore(args[1], args[2]);
        string id = args[3];
        var sync = new SafeFileHandle(MonitorLauncher.SyncFd, ownsHandle: true);
        SafeFileHandle? first = args.Length > 4 && args[4] == "--attached" ? new SafeFileHandle(MonitorLauncher.AttachFd, ownsHandle: true) : null;
        int hintAt = Array.IndexOf(args, NetworkHintOption, 4);
        string? networkHint = hintAt > 0 && hintAt + 1 < args.Length ? args[hintAt + 1] : null;
        Containers.OciRuntime? preparedRuntime = null;
        IContainerNetwork? connector = null;
        if (id == PendingId)
        {
            // Started before the container existed (MonitorLauncher.Prepare): what does not depend on the
            // container is done while the CLI still creates it, the network helper first (it takes longest).
            if (networkHint is not null)
            {
                connector = network?.Invoke(store);
                connector?.PrepareEarly(networkHint);
            }

            preparedRuntime = builtInRuntime?.Invoke(store.RuntimeRoot);
            if (ReceiveId(sync) is not { } received)
            {
                connector?.DiscardEarly();
                return 0; // the CLI failed (or was killed) before the container existed
            }

            id = received;
            connector?.ResumeEarly();
            using SafeFileHandle log = Fds.Descriptors.Open(Path.Combine(store.Directory(id), LogFile), LogFlags, 0x1a4);
            Fds.Descriptors.DuplicateTo(log, 1);
            Fds.Descriptors.DuplicateTo(log, 2);
        }

        try
        {
            ContainerConfig config = store.ReadConfig(id);
            var runtime = new RuntimeInvoker(OciRuntimes.For(config.Runtime, store, id, config.SystemdCgroup));
            string skiff = Environment.ProcessPath ?? "/proc/self/exe";
            connector ??= network?.Invoke(store);
            return new ContainerMonitor(store, id, runtime, TimeProvider.System, connector)
            {
                Volumes = new Volumes.VolumeStore(args[1]) { Events = store.Events },
                Populator = populator,
                BuiltIn = config.Runtime == OciRuntimes.BuiltIn ? preparedRuntime ?? builtInRuntime?.Invoke(store.RuntimeRoot) : null,
                InitOnly = Array.IndexOf(args, InitOnlyOption, 4) > 0,
                Passthrough = Array.IndexOf(args, CallerStdio.Option, 4) > 0 ? CallerStdio.Inherited() : null,
                Preserved = PreservedFds.CountIn(args) is > 0 and int preserved ? PreservedFds.Inherited(preserved) : null,
                IdleRelay = Environment.GetEnvironmentVariable(NoRelayVariable) == "1" ? null : IdleRelayTarget.Find(skiff, args[1], args[2]),
                Restarter = s => Lifecycle(s, args[1], args[2], network),
                HealthCheck = new Health.HealthCheckCommand(skiff, args[1], args[2], id),
                IdleAfter = int.TryParse(Environment.GetEnvironmentVariable(IdleAfterVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int idleAfter)
                    ? TimeSpan.FromMilliseconds(idleAfter)
                    : TimeSpan.FromSeconds(1),
            }.Run(sync, first);
        }
        finally
        {
            // An early helper the container did not adopt (its start failed before the network) is stopped.
            connector?.DiscardEarly();
        }
    }

    /// <summary>The argument that stops the monitor after the runtime's create (<c>skiff init</c>, <see cref="ContainerMonitor.InitOnly"/>).</summary>
    public const string InitOnlyOption = "--init-only";

    /// <summary>The id argument of a monitor started before its container exists: the id comes on the sync socket.</summary>
    public const string PendingId = "-";

    /// <summary>The monitor's stdout and stderr, in the container's directory.</summary>
    public const string LogFile = "monitor.log";

    /// <summary>O_CREAT | O_APPEND | O_WRONLY.</summary>
    public const int LogFlags = 0x40 | 0x400 | 1;

    /// <summary>The container's id, the one packet the CLI sends a prepared monitor; null when the CLI closed the socket instead.</summary>
    private static string? ReceiveId(SafeFileHandle sync)
    {
        byte[] packet = new byte[256];
        int n = Fds.UnixSockets.Receive(sync, packet);
        if (n == 0)
        {
            return null;
        }

        string id = System.Text.Encoding.ASCII.GetString(packet, 0, n);
        Containers.ContainerId.Validate(id);
        return id;
    }

    /// <summary>Milliseconds after the container's start before the monitor hands over or trims (default 1000; 0 lets tests cover the relay everywhere).</summary>
    public const string IdleAfterVariable = "SKIFF_MONITOR_IDLE_AFTER_MS";

    /// <summary>Set to 1, the monitor keeps relaying itself instead of handing over to skiff-relay (for comparisons).</summary>
    public const string NoRelayVariable = "SKIFF_MONITOR_NO_RELAY";

    /// <summary>Runs <see cref="ExitVerb"/>: records the exit of a container skiff-relay relayed and cleans up.</summary>
    public static int Finish(
        string[] args,
        Func<ContainerStore, IContainerNetwork>? network = null,
        Func<string, Containers.OciRuntime>? builtInRuntime = null)
    {
        if (args.Length < 5 || args[0] != ExitVerb || !int.TryParse(args[4], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out int code))
        {
            Console.Error.WriteLine($"usage: skiff __monitor-exit ROOT RUNROOT ID CODE [{HealthCheckOption} PID] [CLIENT-FD...]");
            return 125;
        }

        var store = new ContainerStore(args[1], args[2]);
        string id = args[3];
        int check = 0;
        int firstClient = args.Length > 6 && args[5] == HealthCheckOption && int.TryParse(args[6], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out check) ? 7 : 5;
        var clients = new List<SafeFileHandle>();
        foreach (string fd in args[firstClient..])
        {
            if (int.TryParse(fd, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number))
            {
                clients.Add(new SafeFileHandle(number, ownsHandle: true));
            }
        }

        ContainerConfig config = store.ReadConfig(id);
        var runtime = new RuntimeInvoker(OciRuntimes.For(config.Runtime, store, id, config.SystemdCgroup));
        return new ContainerMonitor(store, id, runtime, TimeProvider.System, network?.Invoke(store))
        {
            Volumes = new Volumes.VolumeStore(args[1]) { Events = store.Events },
            BuiltIn = config.Runtime == OciRuntimes.BuiltIn ? builtInRuntime?.Invoke(store.RuntimeRoot) : null,
            Restarter = s => Lifecycle(s, args[1], args[2], network),
        }.FinishHandedOver(code, clients, check);
    }

    /// <summary>The lifecycle a monitor restarts its container with: skiff start's, with this same binary as the next monitor.</summary>
    private static ContainerLifecycle Lifecycle(ContainerStore store, string root, string runRoot, Func<ContainerStore, IContainerNetwork>? network) =>
        new(store, new MonitorLauncher(Environment.ProcessPath ?? "/proc/self/exe", root, runRoot, store), new StateObserver(TimeProvider.System), network, new Volumes.VolumeStore(root) { Events = store.Events });
}
