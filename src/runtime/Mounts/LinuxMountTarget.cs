using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Skiff.Runtime.Mounts;

/// <summary>An O_PATH descriptor of a resolved location, named for mount(2) through /proc/self/fd.</summary>
internal sealed class LinuxMountTarget(SafeFileHandle handle) : IMountTarget
{
    public SafeFileHandle Handle { get; } = handle;

    public string Path { get; } = "/proc/self/fd/" + handle.DangerousGetHandle().ToInt32().ToString(CultureInfo.InvariantCulture);

    public int Fd => Handle.DangerousGetHandle().ToInt32();

    public void Dispose() => Handle.Dispose();
}
