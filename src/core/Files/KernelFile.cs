using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Skiff.Core.Files;

/// <summary>
/// Reads a whole file the kernel generates (cgroup interface files, /proc/self/mountinfo, /proc/PID/cgroup,
/// /proc/self/status) until end of file: such files report no size. Read on every container's start by the CLI, the monitor and the init; most are
/// a few lines, read into a stack buffer and decoded once: File.ReadAllText's stream buffer, reader, decoder and string
/// builder allocate ~20 KiB of fresh memory per call, and each new page is a fault.
/// </summary>
public static class KernelFile
{
    private const int StackBytes = 4096;

    /// <summary>Throws what <see cref="File.OpenHandle"/> throws (IOException, UnauthorizedAccessException).</summary>
    public static string ReadAllText(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path);
        Span<byte> small = stackalloc byte[StackBytes];
        int length = 0;
        int read;
        while (length < small.Length && (read = RandomAccess.Read(handle, small[length..], length)) > 0)
        {
            length += read;
        }

        if (length < small.Length)
        {
            return Encoding.UTF8.GetString(small[..length]);
        }

        byte[] buffer = new byte[StackBytes * 4];
        small.CopyTo(buffer);
        while ((read = RandomAccess.Read(handle, buffer.AsSpan(length), length)) > 0)
        {
            length += read;
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
