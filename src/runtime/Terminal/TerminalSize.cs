using System.Runtime.InteropServices;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Terminal;

/// <summary>A terminal's size in characters (TIOCGWINSZ/TIOCSWINSZ).</summary>
public readonly record struct TerminalSize(ushort Rows, ushort Columns)
{
    public static unsafe TerminalSize? TryGet(int fd)
    {
        Libc.WinSize size;
        return Libc.ioctl(fd, Libc.TIOCGWINSZ, (nint)(&size)) == 0 && size.Rows > 0 ? new TerminalSize(size.Rows, size.Columns) : null;
    }

    public unsafe bool TryApply(SafeHandle terminal)
    {
        var size = new Libc.WinSize { Rows = Rows, Columns = Columns };
        return Libc.ioctl((int)terminal.DangerousGetHandle(), Libc.TIOCSWINSZ, (nint)(&size)) == 0;
    }
}
