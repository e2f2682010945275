using Microsoft.Win32.SafeHandles;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The monitor's ends of the container's stdio, made by the create (<see cref="IMonitorRuntime"/>): the read ends
/// of its stdout and stderr pipes and the write end of its stdin pipe, or the pty master of a container with a
/// terminal. The relay takes them over once the container runs.
/// </summary>
internal sealed class ContainerStdio
{
    public SafeFileHandle? Stdout { get; set; }

    public SafeFileHandle? Stderr { get; set; }

    public SafeFileHandle? Terminal { get; set; }

    public SafeFileHandle? StdinWriter { get; set; }

    /// <summary>--log-driver passthrough without a terminal: the container gets these instead of pipes.</summary>
    public CallerStdio? Passthrough { get; set; }

    /// <summary>run --preserve-fds: the container's process gets these at 3 and up; null without.</summary>
    public PreservedFds? Preserved { get; set; }
}
