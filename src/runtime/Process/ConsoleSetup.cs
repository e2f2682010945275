using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Process;

/// <summary>
/// process.terminal: the init opens a pty from the container's own devpts (so the container sees its
/// own /dev/pts/N), sends the master to the caller's --console-socket with SCM_RIGHTS, and makes the
/// slave its controlling terminal and stdio.
/// </summary>
public static unsafe class ConsoleSetup
{
    /// <returns>The slave's path in the container's devpts (/dev/pts/N), which the caller binds at /dev/console.</returns>
    public static string Attach(int consoleSocketFd, ConsoleSizeSpec? size)
    {
        int master = Libc.open("/dev/ptmx", Libc.O_RDWR | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (master < 0)
        {
            throw new SystemCallException("open", "/dev/ptmx", Marshal.GetLastPInvokeError(), "the spec needs a /dev/pts devpts mount with newinstance and ptmxmode=0666");
        }

        try
        {
            int unlock = 0;
            Check(Libc.ioctl(master, Libc.TIOCSPTLCK, (nint)(&unlock)), "ioctl(TIOCSPTLCK)");
            int number = 0;
            Check(Libc.ioctl(master, Libc.TIOCGPTN, (nint)(&number)), "ioctl(TIOCGPTN)");

            // TIOCGPTPEER opens the slave through the master, never through a path the container controls.
            int slave = Libc.ioctl(master, Libc.TIOCGPTPEER, Libc.O_RDWR | Libc.O_NOCTTY);
            if (slave < 0)
            {
                throw new SystemCallException("ioctl(TIOCGPTPEER)", null, Marshal.GetLastPInvokeError());
            }

            if (size is { Height: > 0, Width: > 0 })
            {
                var window = new Libc.WinSize { Rows = (ushort)size.Height, Columns = (ushort)size.Width };
                Check(Libc.ioctl(slave, Libc.TIOCSWINSZ, (nint)(&window)), "ioctl(TIOCSWINSZ)");
            }

            SendDescriptor(consoleSocketFd, master);
            if (Libc.setsid() < 0)
            {
                throw new SystemCallException("setsid", null, Marshal.GetLastPInvokeError());
            }

            Check(Libc.ioctl(slave, Libc.TIOCSCTTY, 0), "ioctl(TIOCSCTTY)");
            for (int fd = 0; fd <= 2; fd++)
            {
                if (Libc.dup2(slave, fd) < 0)
                {
                    throw new SystemCallException("dup2", "pty", Marshal.GetLastPInvokeError());
                }
            }

            Libc.close(slave);
            return "/dev/pts/" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        finally
        {
            Libc.close(master);
            Libc.close(consoleSocketFd);
        }
    }

    private static void SendDescriptor(int socket, int fd)
    {
        // Payload: the pty's name is what runc sends; receivers only need one byte with the rights.
        byte* payload = stackalloc byte[] { (byte)'/', (byte)'d', (byte)'e', (byte)'v', (byte)'/', (byte)'p', (byte)'t', (byte)'m', (byte)'x' };
        var iov = new Libc.IoVec { Base = payload, Length = 9 };
        var control = new Libc.FdControlMessage
        {
            Length = (nuint)(sizeof(nuint) + 8 + 4),
            Level = Libc.SOL_SOCKET,
            Type = Libc.SCM_RIGHTS,
            Fd = fd,
        };
        var message = new Libc.MsgHdr
        {
            Iov = &iov,
            IovLength = 1,
            Control = &control,
            ControlLength = (nuint)sizeof(Libc.FdControlMessage),
        };
        if (Libc.sendmsg(socket, &message, 0) < 0)
        {
            throw new SystemCallException("sendmsg", "console socket", Marshal.GetLastPInvokeError());
        }
    }

    private static void Check(int rc, string operation)
    {
        if (rc < 0)
        {
            throw new SystemCallException(operation, null, Marshal.GetLastPInvokeError());
        }
    }
}
