using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The descriptors <c>run --preserve-fds N</c> hands to the container's process at 3 to 2+N: the launcher puts the
/// caller's at <see cref="FirstFd"/> and up in the monitor (3 to 9 are the monitor's own, see <see cref="MonitorLauncher"/>
/// and <see cref="CallerStdio"/>), the runtime's create moves them to 3 and up for the process, and the monitor closes
/// its copies once the container has them, so a pipe among them ends when the container's end does.
/// </summary>
public sealed class PreservedFds : IDisposable
{
    /// <summary>The monitor's descriptor of the caller's fd 3; the others follow. Above UserNamespaceSpawner's sync fd (8).</summary>
    public const int FirstFd = 10;

    /// <summary>The monitor's argument, followed by N.</summary>
    public const string Option = "--preserve-fds";

    private readonly List<SafeFileHandle> handles;

    private PreservedFds(List<SafeFileHandle> handles) => this.handles = handles;

    /// <summary>The descriptors, in order: the process's 3, 4, ...</summary>
    public IReadOnlyList<SafeHandle> Handles => handles;

    /// <summary>
    /// The <paramref name="count"/> descriptors the launcher put at <see cref="FirstFd"/> (in the monitor), made close-on-exec
    /// so that no helper the monitor runs inherits them; the runtime's dup2 onto 3 and up gives the process its copies.
    /// </summary>
    public static PreservedFds Inherited(int count)
    {
        var handles = new List<SafeFileHandle>(count);
        for (int i = 0; i < count; i++)
        {
            var handle = new SafeFileHandle(FirstFd + i, ownsHandle: true);
            Descriptors.CloseOnExec(handle);
            handles.Add(handle);
        }

        return new PreservedFds(handles);
    }

    /// <summary>The value of <see cref="Option"/> in the monitor's arguments; 0 without it.</summary>
    public static int CountIn(IReadOnlyList<string> arguments)
    {
        int at = arguments.ToList().IndexOf(Option);
        return at > 3 && at + 1 < arguments.Count
            && int.TryParse(arguments[at + 1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) ? count : 0;
    }

    public void Dispose()
    {
        foreach (SafeFileHandle handle in handles)
        {
            handle.Dispose();
        }
    }
}
