using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// Moves the calling thread into a network namespace: sockets it creates afterwards belong there, sockets
/// created before keep theirs. Unlike a user namespace this works in a multi-threaded process; the caller
/// needs CAP_SYS_ADMIN in the user namespace that owns the target.
/// </summary>
public static class ThreadNetworkNamespace
{
    public static void Enter(string path)
    {
        using SafeFileHandle fd = Descriptors.Open(path, 0);
        if (Libc.setns(fd, Libc.CLONE_NEWNET) != 0)
        {
            throw new SystemCallException("setns", path, Marshal.GetLastPInvokeError());
        }
    }
}
