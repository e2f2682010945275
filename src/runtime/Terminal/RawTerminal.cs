using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Terminal;

/// <summary>Puts the user's terminal in raw mode (keys go to the container unprocessed) and restores it on dispose.</summary>
public sealed unsafe class RawTerminal : IDisposable
{
    private readonly int fd;
    private readonly byte[] saved = new byte[Libc.TermiosSize];
    private bool restored;

    private RawTerminal(int fd)
    {
        this.fd = fd;
        fixed (byte* s = saved)
        {
            if (Libc.tcgetattr(fd, s) != 0)
            {
                throw new SystemCallException("tcgetattr", null, Marshal.GetLastPInvokeError());
            }

            byte* raw = stackalloc byte[Libc.TermiosSize];
            new ReadOnlySpan<byte>(s, Libc.TermiosSize).CopyTo(new Span<byte>(raw, Libc.TermiosSize));
            Libc.cfmakeraw(raw);
            if (Libc.tcsetattr(fd, Libc.TCSANOW, raw) != 0)
            {
                throw new SystemCallException("tcsetattr", null, Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>Raw mode on <paramref name="fd"/> when it is a terminal, otherwise null.</summary>
    public static RawTerminal? TryEnter(int fd) => Libc.isatty(fd) == 1 ? new RawTerminal(fd) : null;

    public void Dispose()
    {
        if (restored)
        {
            return;
        }

        restored = true;
        fixed (byte* s = saved)
        {
            Libc.tcsetattr(fd, Libc.TCSANOW, s);
        }
    }
}
