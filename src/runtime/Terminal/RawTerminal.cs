using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Terminal;

/// <summary>
/// Puts the user's terminal in raw mode (keys go to the container unprocessed), or only turns its output
/// processing off, and restores it on dispose.
/// </summary>
public sealed unsafe class RawTerminal : IDisposable
{
    private readonly int fd;
    private readonly byte[] saved = new byte[Libc.TermiosSize];
    private bool restored;

    /// <summary>c_oflag follows c_iflag (both 32-bit) at the start of struct termios; OPOST is its bit 0.</summary>
    private const int OutputFlagsOffset = 4;
    private const uint OPOST = 1;

    private RawTerminal(int fd, bool outputOnly)
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
            if (outputOnly)
            {
                uint* outputFlags = (uint*)(raw + OutputFlagsOffset);
                *outputFlags &= ~OPOST;
            }
            else
            {
                Libc.cfmakeraw(raw);
            }

            if (Libc.tcsetattr(fd, Libc.TCSANOW, raw) != 0)
            {
                throw new SystemCallException("tcsetattr", null, Marshal.GetLastPInvokeError());
            }
        }
    }

    /// <summary>Whether descriptor <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => Libc.isatty(fd) == 1;

    /// <summary>Raw mode on <paramref name="fd"/> when it is a terminal, otherwise null.</summary>
    public static RawTerminal? TryEnter(int fd) => Libc.isatty(fd) == 1 ? new RawTerminal(fd, outputOnly: false) : null;

    /// <summary>
    /// For a container terminal without stdin (-t without -i): the container's pty already turned "\n" into
    /// "\r\n", so our terminal must not translate it again ("\r\r\n", which podman avoids by making it raw).
    /// Only output processing goes off; input stays cooked, so ctrl-C still interrupts skiff.
    /// </summary>
    public static RawTerminal? TryEnterOutput(int fd) => Libc.isatty(fd) == 1 ? new RawTerminal(fd, outputOnly: true) : null;

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
