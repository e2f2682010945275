using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Core.Users;
using Skiff.Rootless.Network.Bridge;
using Skiff.Rootless.Network.Netlink;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network;

/// <summary>
/// The monitor's network connector: binds the container's network namespace to a file and starts pasta or
/// slirp4netns for it, publishing the container's ports; disconnecting stops the helper and removes the file.
/// Helpers are started with posix_spawn like the OCI runtime, so the long-lived monitor stays free of
/// System.Diagnostics.Process; pasta daemonizes and, the monitor being a child subreaper, is reaped by it.
/// </summary>
public sealed class ContainerNetworkConnector(ContainerStore store, NetworkHelpers helpers) : IContainerNetwork
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(20);

    private BridgeEndpointConnector? bridge;

    private SafeFileHandle? slirpExit;
    private int slirpPid;

    /// <summary>The <c>__port-forward</c> serving the loopback-bound TCP ports of a pasta-connected container (0: none).</summary>
    private int forwarderPid;

    /// <summary>A helper runs that could not be recorded on disk (<see cref="HelperRecord"/>): only this process can stop it.</summary>
    private bool unrecorded;

    /// <summary>A pasta started before the container was known (<see cref="PrepareEarly"/>), not yet adopted or stopped.</summary>
    private EarlyPasta? early;

    /// <summary>The early pasta the container adopted in <see cref="CreateNamespace"/>, until <see cref="ConnectNamespace"/> completes it.</summary>
    private EarlyPasta? adoptedEarly;

    /// <summary>An adopted early pasta whose pid could not be recorded on disk (0: none).</summary>
    private int unrecordedPastaPid;

    /// <summary>The container's own pasta once its namespace was configured, until <see cref="FinishConnecting"/> saw its foreground exit.</summary>
    private PastaForeground? settlingPasta;

    /// <summary>The adopted early pasta once its namespace was configured, until <see cref="FinishConnecting"/> saw its foreground exit.</summary>
    private EarlyPasta? settlingEarly;

    /// <summary>The container whose pasta is settling (<see cref="settlingEarly"/>).</summary>
    private string? settlingId;

    /// <summary>Settling early pastas <see cref="StopHelpers"/> stopped, whose namespaces and directories <see cref="RemoveNamespaceFiles"/> removes.</summary>
    private readonly List<EarlyPasta> abortedEarly = [];

    /// <summary>
    /// Starts pasta on a namespace of its own when the CLI's <paramref name="hint"/> (the --network value it
    /// resolved) is plain pasta, before the container's configuration exists; <see cref="CreateNamespace"/>
    /// adopts it when the configuration asks for the same pasta, anything else stops it.
    /// </summary>
    public void PrepareEarly(string hint)
    {
        if (helpers.Pasta is not { } program || hint != "pasta")
        {
            return;
        }

        try
        {
            early = EarlyPasta.Start(
                store,
                PastaOptionsFor(NetworkMode.Parse(hint), [], string.Empty),
                (arguments, tap) => PastaForeground.Start(PastaLaunch.For(program), arguments, [], tap),
                // While pasta starts: what monitors killed before they knew their container left behind.
                () => EarlyPasta.SweepAbandoned(store, StopUnadoptedPasta));
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            // The container's pasta then starts as before, once the container is known.
            early = null;
        }
    }

    /// <summary>Continues an early pasta held stopped (rootless) now that the CLI has handed the container over.</summary>
    public void ResumeEarly() => early?.Continue();

    /// <summary>Stops an early pasta no container adopted; never throws.</summary>
    public void DiscardEarly()
    {
        StopEarly();
        RemoveAbortedEarly();
    }

    /// <summary>Stops the early pastas not recorded as the container's; a settling one's files stay for <see cref="RemoveAbortedEarly"/>.</summary>
    private void StopEarly()
    {
        SettleQuietly();
        foreach (EarlyPasta? pending in new[] { early, adoptedEarly })
        {
            pending?.Discard(StopUnadoptedPasta);
        }

        early = null;
        adoptedEarly = null;
    }

    private void RemoveAbortedEarly()
    {
        foreach (EarlyPasta aborted in abortedEarly)
        {
            aborted.RemoveFiles();
        }

        abortedEarly.Clear();
    }

    public void Connect(ContainerConfig config, int pid)
    {
        DiscardEarly();
        NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
        if (mode.Kind is NetworkKind.None or NetworkKind.Host || mode.Joins)
        {
            return;
        }

        if (mode.Kind == NetworkKind.Bridge)
        {
            Bridge().Connect(config, pid);
            return;
        }

        string netns;
        try
        {
            netns = NetworkNamespaceFile.Bind(store, config.Id, pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SkiffException.Internal($"cannot bind the container's network namespace: {e.Message}");
        }

        ConnectNamespace(config, netns);
    }

    public bool Connects(ContainerConfig config) => NetworkMode.Parse(config.NetworkMode) is { Kind: not (NetworkKind.None or NetworkKind.Host), Joins: false };

    public string? CreateNamespace(ContainerConfig config)
    {
        NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
        if (mode.Kind is not (NetworkKind.Pasta or NetworkKind.Slirp4netns) || config.IdMappings is not null)
        {
            DiscardEarly();
            return null;
        }

        if (TryAdoptEarly(config, mode) is { } adopted)
        {
            return adopted;
        }

        try
        {
            return NetworkNamespaceFile.Create(store, config.Id);
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            // The runtime makes the namespace with the process, and Connect follows, as without this.
            return null;
        }
    }

    public void ConnectNamespace(ContainerConfig config, string netns)
    {
        NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
        if (mode.Kind == NetworkKind.Pasta)
        {
            (IReadOnlyList<PublishedPort> forwarded, IReadOnlyList<PublishedPort> pasta) = PastaPortRouting.Split(config.Ports);
            // Both families of a port on every address, though the forwarder binds IPv4 and pasta IPv6.
            HostPortProbe.EnsureFree(PortMappings.FromPublished(config.Ports));
            // The container may start once the namespace is configured when pasta binds nothing it relies on
            // (pasta then only sets up its tables and forks): no ports pasta serves and no options of the user's,
            // but --map-gw, which only changes how pasta's loop translates the gateway's address.
            PastaNamespacePlan? plan = pasta.Count == 0 && mode.Options.All(o => o == "--map-gw") ? PredictPasta() : null;
            if (!CompleteEarly(config.Id, plan))
            {
                StartPasta(config.Id, mode, PortMappings.FromPublished(pasta), netns, plan);
            }

            if (forwarded.Count > 0)
            {
                forwarderPid = PortForwarderProcess.Start(netns, ClientAddressDialer.Name, forwarded);
                unrecorded |= !HelperRecord.TryWrite(ForwarderRecord(config.Id), forwarderPid);
            }
        }
        else
        {
            StartSlirp4netns(config.Id, mode, PortMappings.FromPublished(config.Ports), netns);
        }
    }

    /// <summary>
    /// The helpers are recorded on disk, so the skiff that records the exit after skiff-relay stops them; only
    /// a helper that could not be recorded keeps the monitor.
    /// </summary>
    public bool HoldsProcessState => unrecorded || settlingEarly is not null || settlingPasta is not null || bridge?.HoldsProcessState == true;

    /// <summary>slirp4netns quits when its exit pipe closes: the pipe goes along into skiff-relay (and on into <c>__monitor-exit</c>).</summary>
    public IReadOnlyList<System.Runtime.InteropServices.SafeHandle> DescriptorsToKeep => slirpExit is null ? [] : [slirpExit];

    /// <summary>
    /// Waits for the exit of a pasta foreground part that <see cref="ConnectNamespace"/> left running once the
    /// namespace was configured, and records the adopted early pasta's daemon; throws pasta's error when it failed
    /// after configuring the namespace (the caller stops the container: its start failed). Returns at once when
    /// the container ended first (<paramref name="containerExit"/> readable): <see cref="Disconnect"/> then stops
    /// that pasta without waiting for it.
    /// </summary>
    public void FinishConnecting(SafeFileHandle? containerExit)
    {
        // The container's process runs: a pasta that yielded the CPU to its start (PastaForeground.Start) gets it back.
        settlingEarly?.RestorePriority();
        if (containerExit is not null && (settlingPasta?.Exit ?? settlingEarly?.StartupExit) is { } pastaExit && ContainerEndsFirst(pastaExit, containerExit))
        {
            return;
        }

        if (settlingPasta is { } own)
        {
            settlingPasta = null;
            using (own)
            {
                own.Wait();
            }
        }

        if (settlingEarly is { } adopted)
        {
            settlingEarly = null;
            int pid;
            try
            {
                pid = adopted.Complete();
            }
            catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
            {
                adopted.Discard(StopUnadoptedPasta);
                throw e as SkiffException ?? SkiffException.Internal($"pasta could not set up the container's network: {e.Message}");
            }

            RecordEarly(settlingId!, adopted, pid);
        }
    }

    public void Disconnect(ContainerConfig config)
    {
        StopHelpers(config);
        RemoveNamespaceFiles(config);
    }

    public void StopHelpers(ContainerConfig config)
    {
        StopEarly();
        if (UsesBridge(config))
        {
            // network connect/disconnect change a running container's networks: what is stored now is what is connected.
            Bridge().Disconnect(CurrentConfig(config));
            return;
        }

        // After a handover to skiff-relay this is a new program in the same process: the records name the helpers.
        PortForwarderProcess.Stop(forwarderPid != 0 ? forwarderPid : HelperRecord.TryReadLive(ForwarderRecord(config.Id)) ?? 0);
        forwarderPid = 0;
        HelperRecord.Delete(ForwarderRecord(config.Id));
        if (slirpExit is not null)
        {
            // Closing the exit descriptor is slirp4netns's signal to quit.
            slirpExit.Dispose();
            slirpExit = null;
            HelperExits.Reap(slirpPid, TimeSpan.FromSeconds(5));
        }
        else if (HelperRecord.TryReadLive(Slirp4netnsRecord(config.Id)) is int slirp)
        {
            // Its exit descriptor is still open in this process, under a number this program does not know.
            ChildProcesses.TrySignal(slirp, 15);
            HelperExits.Reap(slirp, TimeSpan.FromSeconds(5));
        }

        HelperRecord.Delete(Slirp4netnsRecord(config.Id));

        // pasta would also quit by itself once its namespace file is gone (RemoveNamespaceFiles).
        StopPasta(PastaPidFile(config.Id), waitForExit: PastaMayHoldPorts(config));
        if (unrecordedPastaPid != 0)
        {
            ChildProcesses.TrySignal(unrecordedPastaPid, 15);
            HelperExits.Reap(unrecordedPastaPid, TimeSpan.FromSeconds(5));
            unrecordedPastaPid = 0;
        }

        try
        {
            File.Delete(Slirp4netnsSocket(config.Id));
        }
        catch (IOException)
        {
        }
    }

    public void RemoveNamespaceFiles(ContainerConfig config)
    {
        RemoveAbortedEarly();
        if (UsesBridge(config))
        {
            return;
        }

        NetworkNamespaceFile.Remove(NetworkNamespaceFile.PathFor(store, config.Id));
        EarlyPasta.Remove(store, store.RunDirectory(config.Id));
    }

    private static bool UsesBridge(ContainerConfig config) =>
        config.NetworkEndpoints.Count > 0 || NetworkMode.Parse(config.NetworkMode).Kind == NetworkKind.Bridge;

    private ContainerConfig CurrentConfig(ContainerConfig config)
    {
        try
        {
            return store.Exists(config.Id) ? store.ReadConfig(config.Id) : config;
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            return config;
        }
    }

    private BridgeEndpointConnector Bridge()
    {
        // The store's own roots: ROOT/containers and RUNROOT/s.
        string root = Path.GetDirectoryName(store.ContainersDirectory)!;
        string runRoot = Path.GetDirectoryName(store.SocketDirectory)!;
        return bridge ??= new BridgeEndpointConnector(
            store,
            new NetworkStore(root, runRoot),
            new ProcessRunner(),
            CurrentUser.Detect().Rootless ? new RootlessNetworkNamespace(runRoot) : null);
    }

    private string PastaPidFile(string id) => Path.Combine(store.RunDirectory(id), "pasta.pid");

    private string ForwarderRecord(string id) => Path.Combine(store.RunDirectory(id), "port-forward.pid");

    private string Slirp4netnsRecord(string id) => Path.Combine(store.RunDirectory(id), "slirp4netns.pid");

    // Unix socket paths are limited to 108 bytes, hence the short socket directory.
    private string Slirp4netnsSocket(string id) => Path.Combine(store.SocketDirectory, id[..16] + ".slirp");

    /// <summary>
    /// The container adopts the early pasta when its configuration asks for exactly that pasta; an early pasta
    /// it cannot use is stopped. Returns the container's namespace file, or null.
    /// </summary>
    private string? TryAdoptEarly(ContainerConfig config, NetworkMode mode)
    {
        if (early is not { } candidate)
        {
            return null;
        }

        early = null;
        if (mode.Kind == NetworkKind.Pasta)
        {
            IReadOnlyList<PortMapping> ports = PortMappings.FromPublished(PastaPortRouting.Split(config.Ports).Pasta);
            if (candidate.Signature == EarlyPasta.SignatureOf(PastaOptionsFor(mode, ports, string.Empty)))
            {
                string netns = NetworkNamespaceFile.PathFor(store, config.Id);
                try
                {
                    candidate.Adopt(netns, store.RunDirectory(config.Id));
                    adoptedEarly = candidate;
                    return netns;
                }
                catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
                {
                    // Then the container's namespace and pasta are made as without an early one.
                }
            }
        }

        candidate.Discard(StopUnadoptedPasta);
        return null;
    }

    /// <summary>
    /// Waits for the adopted early pasta and records it as the container's; false when there is none, or it
    /// failed (then the container's own pasta starts on the namespace and reports what is wrong). With a
    /// <paramref name="plan"/>, it returns once the namespace is configured (<see cref="FinishConnecting"/> does the rest).
    /// </summary>
    private bool CompleteEarly(string id, PastaNamespacePlan? plan)
    {
        if (adoptedEarly is not { } adopted)
        {
            return false;
        }

        adoptedEarly = null;
        // Configured by skiff (PastaTap): ready now. Else ready once pasta configured it, if that can be told.
        if (adopted.Configured || (plan is not null && adopted.WaitConfigured(plan)))
        {
            settlingEarly = adopted;
            settlingId = id;
            return true;
        }

        int pid;
        try
        {
            pid = adopted.Complete();
        }
        catch (Exception e) when (e is SkiffException or IOException or UnauthorizedAccessException)
        {
            adopted.Discard(StopUnadoptedPasta);
            return false;
        }

        RecordEarly(id, adopted, pid);
        return true;
    }

    /// <summary>Records the adopted early pasta's daemon <paramref name="pid"/> as the container's pasta.</summary>
    private void RecordEarly(string id, EarlyPasta adopted, int pid)
    {
        try
        {
            File.WriteAllText(Path.Combine(store.RunDirectory(id), EarlyPasta.LinkFile), adopted.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The sweep of a later run removes the directory once this container's run directory is gone.
        }

        if (!HelperRecord.TryWrite(PastaPidFile(id), pid))
        {
            unrecorded = true;
            unrecordedPastaPid = pid;
        }
    }

    /// <summary>
    /// Stops a settling pasta without waiting for its start-up (its container ended, or its start failed): the
    /// foreground part is killed; a daemon it forked already is stopped through its pid file with the rest.
    /// </summary>
    private void SettleQuietly()
    {
        if (settlingEarly is { } aborted)
        {
            aborted.Abort(StopUnadoptedPasta);
            abortedEarly.Add(aborted);
            settlingEarly = null;
        }

        if (settlingPasta is { } own)
        {
            settlingPasta = null;
            own.Kill();
            own.Dispose();
        }
    }

    /// <summary>Waits until pasta's foreground part or the container ended; true when the container did first.</summary>
    private static bool ContainerEndsFirst(SafeFileHandle pastaExit, SafeFileHandle containerExit)
    {
        var poll = new PollSet();
        int pasta = poll.Add(pastaExit);
        poll.Add(containerExit);
        while (poll.Wait(-1) == 0)
        {
        }

        return !poll.Ready(pasta);
    }

    /// <summary>
    /// What pasta's --config-net will make of the container's namespace, from the host's addresses and routes;
    /// null when that cannot be predicted (or read).
    /// </summary>
    private static PastaNamespacePlan? PredictPasta()
    {
        try
        {
            using RouteNetlink host = RouteNetlink.Open();
            return PastaNamespacePlan.Predict(
                [.. host.Addresses(RouteRequests.AF_INET), .. host.Addresses(RouteRequests.AF_INET6)],
                [.. host.Routes(RouteRequests.AF_INET), .. host.Routes(RouteRequests.AF_INET6)]);
        }
        catch (SystemCallException)
        {
            return null;
        }
    }

    private static PastaOptions PastaOptionsFor(NetworkMode mode, IReadOnlyList<PortMapping> ports, string pidFile) => new()
    {
        PidFile = pidFile,
        Ports = ports,
        MapGatewayToHost = mode.Options.Contains("--map-gw"),
        ExtraArguments = mode.Options.Where(o => o != "--map-gw").ToList(),
        // pasta started as uid 0 switches to "nobody", which can no longer join the namespace (as real root)
        // or is a subordinate id (inside skiff's user namespace, where uid 0 is the user): keep uid 0.
        RunAs = "0:0",
    };

    private void StartPasta(string id, NetworkMode mode, IReadOnlyList<PortMapping> ports, string netns, PastaNamespacePlan? plan)
    {
        string program = helpers.Pasta ?? throw SkiffException.PrerequisiteMissing(
            "pasta is not installed",
            "install passt (Debian: apt-get install passt), or use --network slirp4netns");
        PastaOptions options = PastaOptionsFor(mode, ports, PastaPidFile(id));
        File.Delete(options.PidFile);
        PastaForeground pasta = PastaForeground.Start(PastaLaunch.For(program), PastaNetwork.BuildArguments(options, netns), ports);
        if (plan is not null && pasta.WaitConfigured(netns, plan))
        {
            settlingPasta = pasta;
            return;
        }

        // The foreground part returns once the namespace is configured and its ports are bound, leaving a daemon behind.
        using (pasta)
        {
            pasta.Wait();
        }
    }

    private void StartSlirp4netns(string id, NetworkMode mode, IReadOnlyList<PortMapping> ports, string netns)
    {
        string program = helpers.Slirp4netns ?? throw SkiffException.PrerequisiteMissing(
            "slirp4netns is not installed",
            "install slirp4netns (Debian: apt-get install slirp4netns), or use --network pasta");
        string socket = Slirp4netnsSocket(id);
        Directory.CreateDirectory(store.SocketDirectory);
        File.Delete(socket);
        Slirp4netnsOptions options = Slirp4netnsOptions.FromModeOptions(mode.Options, socket) with { ReadyFd = 3, ExitFd = 4 };
        (SafeFileHandle readyRead, SafeFileHandle readyWrite) = Descriptors.Pipe();
        (SafeFileHandle exitRead, SafeFileHandle exitWrite) = Descriptors.Pipe();
        (SafeFileHandle errorRead, SafeFileHandle errorWrite) = Descriptors.Pipe();
        using (readyRead)
        using (errorRead)
        {
            using (readyWrite)
            using (exitRead)
            using (errorWrite)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
            {
                // slirp4netns's --enable-sandbox makes only "/" private in its new mount namespace before it pivots
                // and detaches the old root, so the detach reaches every mount shared with this namespace: as real
                // root, the host's /run/netns/* (ip netns, podman) were unmounted and their namespaces gone. It
                // starts in a mount namespace of its own whose mounts receive but never send such events.
                IReadOnlyList<string> arguments = ["--mount", "--propagation", "slave", "--", program, .. Slirp4netnsNetwork.BuildArguments(options, netns)];
                slirpPid = Spawn(BridgeTools.Find().Unshare, arguments, [(nullIn, 0), (nullOut, 1), (errorWrite, 2), (readyWrite, 3), (exitRead, 4)]);
            }

            slirpExit = exitWrite;
            byte[] ready = new byte[1];
            bool answered = PollSet.WaitReadable(readyRead, (int)ReadyTimeout.TotalMilliseconds);
            if (!answered || Descriptors.Read(readyRead, ready) != 1)
            {
                // The ready descriptor closed without a byte: slirp4netns ended; its stderr says why.
                if (!answered)
                {
                    ChildProcesses.TrySignal(slirpPid, 9);
                }

                ChildExit exit = ChildProcesses.Wait(slirpPid);
                slirpExit.Dispose();
                slirpExit = null;
                string detail = NetworkHelperErrors.Clean(PipeText.ReadAvailable(errorRead));
                throw new SkiffException(
                    ErrorKind.Unavailable,
                    answered
                        ? $"slirp4netns could not set up the container's network (exit code {exit.ShellCode.ToString(CultureInfo.InvariantCulture)}){(detail.Length > 0 ? ": " + detail : string.Empty)}"
                        : $"slirp4netns did not configure the container's network within {ReadyTimeout.TotalSeconds:0} s",
                    NetworkHelperErrors.HintFor(detail, "slirp4netns"));
            }
        }

        unrecorded |= !HelperRecord.TryWrite(Slirp4netnsRecord(id), slirpPid);
        foreach (PortMapping port in ports)
        {
            Slirp4netnsNetwork.AddPort(socket, port);
        }
    }

    private static int Spawn(string program, IReadOnlyList<string> arguments, IReadOnlyList<(System.Runtime.InteropServices.SafeHandle, int)> descriptors) =>
        Spawner.Spawn(new SpawnRequest(program, arguments, RuntimeInvoker.CurrentEnvironment()) { Descriptors = descriptors });

    /// <summary>Whether the container's pasta may listen on host ports (then its stop waits until they are free).</summary>
    private static bool PastaMayHoldPorts(ContainerConfig config)
    {
        NetworkMode mode = NetworkMode.Parse(config.NetworkMode);
        return mode.Kind != NetworkKind.Pasta || PastaPortRouting.PastaMayListen(mode.Options, config.Ports);
    }

    /// <summary>Stops an early pasta no container uses: nothing listens on host ports, so nothing waits for its exit.</summary>
    private static void StopUnadoptedPasta(string pidFile) => StopPasta(pidFile, waitForExit: false);

    /// <summary>
    /// Stops the pasta recorded in <paramref name="pidFile"/> if it still runs, after checking the pid is still
    /// that pasta. Without <paramref name="waitForExit"/> it waits only until pasta's program is gone: the rest of
    /// its exit, closing its tap device, waits for the kernel to unregister the device (rcu_barrier, 20-60 ms
    /// measured here) and holds nothing anyone needs, so the reaping goes on in the background.
    /// </summary>
    private static void StopPasta(string pidFile, bool waitForExit)
    {
        if (HelperRecord.TryReadText(pidFile)?.Trim() is not { } text)
        {
            return;
        }

        // pasta writes its pid; an adopted early pasta is recorded with its start time instead (HelperRecord).
        int? recorded = HelperRecord.TryReadLive(pidFile);
        if (recorded is int pid || int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out pid))
        {
            // A recycled pid must not be signalled: the helper's command line names the pid file we gave it.
            if (recorded is not null || HelperExits.CommandLine(pid).Contains(pidFile, StringComparison.Ordinal))
            {
                ChildProcesses.TrySignal(pid, 15);
            }

            if (waitForExit)
            {
                HelperExits.Reap(pid, TimeSpan.FromSeconds(5));
            }
            else
            {
                HelperExits.WaitUntilProgramGone(pid, pidFile, TimeSpan.FromSeconds(5));
                HelperExits.ReapInBackground(pid);
            }
        }

        try
        {
            File.Delete(pidFile);
        }
        catch (IOException)
        {
        }
    }
}
