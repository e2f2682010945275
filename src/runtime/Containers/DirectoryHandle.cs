using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Containers;

/// <summary>O_PATH directory descriptors, e.g. the state directory handed to the container's init.</summary>
public static class DirectoryHandle
{
    public static SafeFileHandle Open(string path)
    {
        int fd = Libc.open(path, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new SystemCallException("open", path, Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
