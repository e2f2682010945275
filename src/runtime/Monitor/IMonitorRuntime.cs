using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// How the monitor drives the container's OCI runtime through create, start and delete: skiff's own runtime
/// inside the monitor (<see cref="InProcessRuntime"/>) or a runtime's command line (<see cref="CommandLineRuntime"/>).
/// The create leaves the monitor's ends of the container's stdio in the <see cref="ContainerStdio"/> each was given.
/// </summary>
internal interface IMonitorRuntime
{
    /// <summary>The runtime's name in errors.</summary>
    string Name { get; }

    /// <summary>
    /// Called as soon as the root is mounted, before the monitor resolves the user and checks the command:
    /// a runtime that can begins the create then (the built-in one spawns its init, whose mount namespace is a
    /// copy of the monitor's). <paramref name="nullIn"/> and <paramref name="nullOut"/> stay open until <see cref="Create"/>.
    /// </summary>
    void Begin(ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut);

    /// <summary>Undoes what <see cref="Begin"/> started when the start failed before <see cref="Create"/>; never throws.</summary>
    void Abort();

    /// <summary>Creates the container (completes what <see cref="Begin"/> started); returns the init's pid, or throws a SkiffException saying why not.</summary>
    int Create(ContainerConfig config, SafeFileHandle nullIn, SafeFileHandle nullOut);

    /// <summary>Starts the created container's process; returns why it could not, or null.</summary>
    string? Start();

    /// <summary>The runtime's `delete --force`: its state and cgroup go; failures are not the caller's to handle.</summary>
    void Delete();
}
