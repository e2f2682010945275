using Microsoft.Win32.SafeHandles;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The stdin, stdout and stderr of the skiff command that started the container, for <c>--log-driver passthrough</c>:
/// the launcher hands them to the monitor at descriptors <see cref="FirstFd"/> to <see cref="FirstFd"/>+2, and the
/// runtime gives them to the container as its own stdio (no pipe, no log), as podman's conmon does. The monitor
/// closes its copies once the container has them.
/// </summary>
public sealed class CallerStdio(SafeFileHandle input, SafeFileHandle output, SafeFileHandle error) : IDisposable
{
    /// <summary>The monitor's descriptor of the caller's stdin; stdout and stderr follow.</summary>
    public const int FirstFd = 5;

    /// <summary>The monitor's argument that says the descriptors are there.</summary>
    public const string Option = "--passthrough";

    public SafeFileHandle Input { get; } = input;

    public SafeFileHandle Output { get; } = output;

    public SafeFileHandle Error { get; } = error;

    /// <summary>The descriptors the launcher put at <see cref="FirstFd"/> (in the monitor).</summary>
    public static CallerStdio Inherited() =>
        new(new SafeFileHandle(FirstFd, ownsHandle: true), new SafeFileHandle(FirstFd + 1, ownsHandle: true), new SafeFileHandle(FirstFd + 2, ownsHandle: true));

    public void Dispose()
    {
        Input.Dispose();
        Output.Dispose();
        Error.Dispose();
    }
}
