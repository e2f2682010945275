using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Fds;

/// <summary>
/// Reads whole small files (a container's config.json and state.json, /proc/PID/stat) into one buffer that
/// is reused from file to file: open, read to the end, close. <see cref="File.ReadAllBytes"/> costs seven
/// system calls a file (it stats twice and takes and drops an advisory <c>flock(LOCK_SH)</c>, which no
/// writer of these files uses: they are replaced by rename) and a new array each time, which is what
/// listing 100 containers spent its time on. One reader per thread: the returned span is valid only until
/// the next read.
/// </summary>
public sealed unsafe class SmallFileReader
{
    private const int MaxPathBytes = 4096;

    private byte[] buffer = new byte[4096];

    /// <summary>The file's bytes, or false when it (or a directory on the way) does not exist.</summary>
    /// <exception cref="SystemCallException">Opening or reading failed otherwise.</exception>
    public bool TryRead(string path, out ReadOnlySpan<byte> content)
    {
        content = default;
        using SafeFileHandle? file = TryOpen(path);
        if (file is null)
        {
            return false;
        }

        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int n = Descriptors.Read(file, buffer.AsSpan(length));
            if (n <= 0)
            {
                break;
            }

            length += n;
        }

        content = buffer.AsSpan(0, length);
        return true;
    }

    /// <summary>Reads the start of a file into <paramref name="destination"/>: the byte count, or -1 when the file does not exist.</summary>
    /// <exception cref="SystemCallException">Opening or reading failed otherwise.</exception>
    public static int TryReadStart(string path, Span<byte> destination)
    {
        using SafeFileHandle? file = TryOpen(path);
        if (file is null)
        {
            return -1;
        }

        int length = 0;
        while (length < destination.Length)
        {
            int n = Descriptors.Read(file, destination[length..]);
            if (n <= 0)
            {
                break;
            }

            length += n;
        }

        return length;
    }

    private static SafeFileHandle? TryOpen(string path)
    {
        int size = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        if (size > MaxPathBytes)
        {
            size = Encoding.UTF8.GetByteCount(path) + 1;
        }

        Span<byte> name = size <= MaxPathBytes ? stackalloc byte[size] : new byte[size];
        int written = Encoding.UTF8.GetBytes(path, name);
        name[written] = 0;
        fixed (byte* p = name)
        {
            while (true)
            {
                int fd = Libc.open(p, Libc.O_CLOEXEC, 0);
                if (fd >= 0)
                {
                    return new SafeFileHandle(fd, ownsHandle: true);
                }

                int errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case Errnos.EINTR:
                        continue;
                    case Errnos.ENOENT or Errnos.ENOTDIR or Errnos.ESRCH:
                        return null;
                    default:
                        throw new SystemCallException("open", path, errno);
                }
            }
        }
    }
}
