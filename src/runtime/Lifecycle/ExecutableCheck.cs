using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Finds the container's command in its root filesystem the way execvp would (PATH search unless the name
/// has a '/'), resolving every path inside the root (openat2 RESOLVE_IN_ROOT) so hostile symlinks cannot
/// point outside. An external runtime reports a missing command only as text; checking first gives
/// docker's 127 (not found) and 126 (not executable) from real errnos.
/// </summary>
public static unsafe class ExecutableCheck
{
    public static void Verify(string rootfs, string command, IReadOnlyList<string> env, string workingDir)
    {
        using SafeFileHandle root = Descriptors.Open(rootfs, 0x10000 /* O_DIRECTORY */);
        IEnumerable<string> candidates;
        if (command.Contains('/'))
        {
            candidates = [command.StartsWith('/') ? command : $"{workingDir.TrimEnd('/')}/{command}"];
        }
        else
        {
            string path = env.LastOrDefault(e => e.StartsWith("PATH=", StringComparison.Ordinal))?[5..]
                ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
            candidates = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => $"{dir.TrimEnd('/')}/{command}");
        }

        int denied = 0;
        foreach (string candidate in candidates)
        {
            int mode = TryMode(root, candidate, out int errno);
            if (mode < 0)
            {
                if (errno is Errnos.EACCES or Errnos.EPERM)
                {
                    denied = errno;
                }

                continue;
            }

            const int typeMask = 0xF000, regular = 0x8000;
            if ((mode & typeMask) == regular && (mode & 0x49) != 0)
            {
                return;
            }

            denied = Errnos.EACCES;
        }

        if (denied != 0)
        {
            throw new SkiffException(
                ErrorKind.CannotExecute,
                $"{command}: {Errnos.Describe(denied)}: OCI permission denied");
        }

        throw new SkiffException(
            ErrorKind.CommandNotFound,
            command.Contains('/')
                ? $"{command}: no such file or directory: OCI runtime attempted to invoke a command that was not found"
                : $"executable file `{command}` not found in $PATH: No such file or directory: OCI runtime attempted to invoke a command that was not found");
    }

    private static int TryMode(SafeFileHandle root, string path, out int errno)
    {
        byte[] name = Descriptors.CString(path);
        var how = new Libc.OpenHow { Flags = (ulong)(Libc.O_PATH | Libc.O_CLOEXEC), Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS };
        long fd;
        fixed (byte* p = name)
        {
            fd = Libc.syscall_openat2(Libc.SYS_openat2, (int)root.DangerousGetHandle(), p, &how, (nuint)sizeof(Libc.OpenHow));
        }

        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }

        using var file = new SafeFileHandle((nint)fd, ownsHandle: true);
        byte* buffer = stackalloc byte[Libc.StatxSize];
        byte empty = 0;
        if (Libc.statx((int)file.DangerousGetHandle(), &empty, Libc.AT_EMPTY_PATH, Libc.STATX_MODE, buffer) != 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return -1;
        }

        errno = 0;
        return *(ushort*)(buffer + Libc.StatxModeOffset);
    }
}
