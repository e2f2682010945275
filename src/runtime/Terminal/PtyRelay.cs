using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Terminal;

/// <summary>
/// Copies between our stdin/stdout and a pty master we hold directly (exec -t): stdin to the master on
/// one thread, the master to stdout on another, until the master reports end of file.
/// </summary>
public static class PtyRelay
{
    /// <returns>The output thread: join it after the process ended so its last output is not lost.</returns>
    public static Thread Start(SafeFileHandle master, bool forwardStdin)
    {
        var output = new Thread(() =>
        {
            using var stdout = new SafeFileHandle(1, ownsHandle: false);
            byte[] buffer = new byte[32 * 1024];
            int n;
            while ((n = Descriptors.Read(master, buffer)) > 0)
            {
                Descriptors.WriteAll(stdout, buffer.AsSpan(0, n));
            }
        })
        { IsBackground = true, Name = "pty-output" };
        output.Start();
        if (!forwardStdin)
        {
            return output;
        }

        var input = new Thread(() =>
        {
            using var stdin = new SafeFileHandle(0, ownsHandle: false);
            byte[] buffer = new byte[32 * 1024];
            int n;
            while ((n = Descriptors.Read(stdin, buffer)) > 0)
            {
                if (!Descriptors.WriteAll(master, buffer.AsSpan(0, n)))
                {
                    return;
                }
            }
        })
        { IsBackground = true, Name = "pty-input" };
        input.Start();
        return output;
    }
}
