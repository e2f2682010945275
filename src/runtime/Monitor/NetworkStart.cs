using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The network's part of a container's start: the connection (a helper such as pasta) begun as early as the
/// runtime allows, on a thread of its own beside the create, joined once the container exists and finished
/// once its process runs, and undone when the start fails. Without a network every step does nothing.
/// </summary>
internal sealed class NetworkStart(IContainerNetwork? network)
{
    private Task? connecting;

    /// <summary>The network namespace made ahead of the container (<see cref="BeginEarly"/>), for the runtime to join; null when there is none.</summary>
    public string? EarlyNamespace { get; private set; }

    /// <summary>
    /// Before anything else of an in-process create: the helper (pasta needs ~40 ms, more on a busy machine)
    /// starts on the container's namespace and works while the root is mounted and the init starts.
    /// </summary>
    public void BeginEarly(ContainerConfig config)
    {
        EarlyNamespace = network?.CreateNamespace(config);
        if (EarlyNamespace is { } netns)
        {
            connecting = OnOwnThread(() => network!.ConnectNamespace(config, netns));
        }
    }

    /// <summary>
    /// For the built-in runtime's <see cref="Containers.CreateOptions.NamespacesReady"/>: without an early namespace the
    /// helper starts as soon as the init's namespaces exist, and works while the init builds its root.
    /// </summary>
    public Action<int>? NamespacesReady(ContainerConfig config) =>
        network is null || EarlyNamespace is not null || !network.Connects(config) ? null : pid => connecting = OnOwnThread(() => network.Connect(config, pid));

    /// <summary>
    /// The runtime created the container, whose process has not run yet: it starts with its network connected.
    /// Throws a SkiffException saying why the connection failed.
    /// </summary>
    public void Connect(ContainerConfig config, int pid)
    {
        if (network is null)
        {
            return;
        }

        if (connecting is not null)
        {
            connecting.GetAwaiter().GetResult();
        }
        else
        {
            network.Connect(config, pid);
        }
    }

    /// <summary>
    /// The helper may still be starting while the container runs (the namespace was configured before);
    /// its failure still fails the start (<see cref="IContainerNetwork.FinishConnecting"/>).
    /// </summary>
    public void FinishConnecting(SafeFileHandle? pidFd) => network?.FinishConnecting(pidFd);

    /// <summary>Stops what the connection started; never throws.</summary>
    public void Disconnect(ContainerConfig config) => network?.Disconnect(config);

    /// <summary>After a failed create: waits for a connection started early and undoes it.</summary>
    public void DisconnectEarly(ContainerConfig config)
    {
        if (connecting is null)
        {
            return;
        }

        try
        {
            connecting.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
        }

        connecting = null;
        network!.Disconnect(config);
    }

    /// <summary>
    /// Runs a connection step beside the create on a thread of its own: the thread pool would start its
    /// workers and gate thread (and spin them) on the start path for this one item.
    /// </summary>
    private static Task OnOwnThread(Action step) => Threading.BackgroundThread.Run("network", step);
}
