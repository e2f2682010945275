using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace Skiff.Runtime.Mounts;

/// <summary>
/// A copy of another mount namespace's mount tree made by the native entry stage (<c>_SKIFF_NS_CLONE_FROM</c> in
/// nsenter.c), attached in place of a bind mount of <see cref="Source"/>: the kernel refuses to bind a mount of
/// another namespace (EINVAL), as <c>/proc/PID/root/dev/shm</c> of the container whose ipc namespace is joined.
/// </summary>
public sealed record ClonedMount(string Source, SafeFileHandle Tree)
{
    public const string Variable = "_SKIFF_NS_CLONED";

    /// <summary>The clone the entry stage left in <see cref="Variable"/> (<c>FD:SOURCE</c>), or null.</summary>
    public static ClonedMount? FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        int colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (value is null || colon <= 0 || !int.TryParse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
        {
            return null;
        }

        Environment.SetEnvironmentVariable(Variable, null);
        return new ClonedMount(value[(colon + 1)..], new SafeFileHandle(fd, ownsHandle: true));
    }
}
