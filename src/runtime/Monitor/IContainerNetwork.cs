using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// Connects a container's network namespace to the outside (a network helper such as pasta) once the
/// runtime has created the container and before its process starts, and disconnects it when the container
/// has ended. Implemented outside the runtime (Skiff.Rootless) and handed to the monitor by Program.cs.
/// </summary>
public interface IContainerNetwork
{
    /// <summary>Connects the network namespace of <paramref name="pid"/>; throws a SkiffException saying why it could not.</summary>
    void Connect(ContainerConfig config, int pid);

    /// <summary>Whether <see cref="Connect"/> has anything to do for the container (not with --network none or host).</summary>
    bool Connects(ContainerConfig config) => true;

    /// <summary>
    /// Makes the container's network namespace ahead of its process when the network mode allows it (a
    /// helper such as pasta, and no user namespace of the container's own), so the helper starts earlier;
    /// returns the namespace file for the runtime to join, or null (then <see cref="Connect"/> as usual).
    /// </summary>
    string? CreateNamespace(ContainerConfig config);

    /// <summary>Connects the namespace <see cref="CreateNamespace"/> made; throws a SkiffException saying why it could not.</summary>
    void ConnectNamespace(ContainerConfig config, string path);

    /// <summary>
    /// After the container's process was started: waits for what <see cref="Connect"/> or <see cref="ConnectNamespace"/>
    /// left running once the namespace was ready (a helper still starting up), and throws a SkiffException saying why
    /// it failed if it did; the caller then stops the container and its start fails.
    /// </summary>
    /// <param name="containerExit">A pidfd of the container's process: when it ends first, nothing more is waited for.</param>
    void FinishConnecting(SafeFileHandle? containerExit)
    {
    }

    /// <summary>
    /// In a monitor prepared before its container exists: starts the helper the CLI expects the container to
    /// use (<paramref name="hint"/>, its --network value), to be adopted by <see cref="CreateNamespace"/> when
    /// the container's configuration asks for exactly that, and stopped otherwise.
    /// </summary>
    void PrepareEarly(string hint)
    {
    }

    /// <summary>
    /// The CLI handed the container over (its own work is done and it only waits): a helper <see cref="PrepareEarly"/>
    /// held back so as not to compete with the CLI for the CPU may start now, beside the monitor's last steps.
    /// </summary>
    void ResumeEarly()
    {
    }

    /// <summary>Stops what <see cref="PrepareEarly"/> started when no container adopted it; never throws.</summary>
    void DiscardEarly()
    {
    }

    /// <summary>Stops what <see cref="Connect"/> started; never throws.</summary>
    void Disconnect(ContainerConfig config);

    /// <summary>
    /// The first part of <see cref="Disconnect"/>: stops the helpers, so none outlives the container, and leaves
    /// their namespace files to <see cref="RemoveNamespaceFiles"/>, which the monitor calls once it reported the
    /// exit (each unmount waits for an RCU grace period, milliseconds on a busy machine). Never throws.
    /// </summary>
    void StopHelpers(ContainerConfig config) => Disconnect(config);

    /// <summary>The rest of <see cref="Disconnect"/> after <see cref="StopHelpers"/>: the namespace files' bind mounts and directories; never throws.</summary>
    void RemoveNamespaceFiles(ContainerConfig config)
    {
    }

    /// <summary>
    /// The connection depends on this very process (a helper's pid or a pipe kept only in memory), so
    /// the monitor must not replace itself with skiff-relay: <see cref="Disconnect"/> would find nothing to stop.
    /// </summary>
    bool HoldsProcessState => false;

    /// <summary>
    /// Descriptors the connection needs kept open while the container runs (a helper that quits when its pipe
    /// closes): they go along when the monitor replaces itself with skiff-relay.
    /// </summary>
    IReadOnlyList<System.Runtime.InteropServices.SafeHandle> DescriptorsToKeep => [];
}
