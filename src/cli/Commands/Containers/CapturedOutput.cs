using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Cli.Commands.Containers;

/// <summary>The start of what a process writes into a pipe, up to <paramref name="maxBytes"/>; the rest is read and dropped.</summary>
internal sealed class CapturedOutput(int maxBytes)
{
    private readonly List<byte> kept = [];
    private readonly byte[] buffer = new byte[4096];
    private bool closed;

    public string Text => Encoding.UTF8.GetString(kept.ToArray());

    /// <summary>Reads until the process ends (its pidfd is readable; without one, until end of file) or <paramref name="deadline"/>; false at the deadline.</summary>
    public bool ReadUntil(SafeFileHandle pipe, SafeFileHandle? exited, long deadline)
    {
        var set = new PollSet();
        while (true)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                return false;
            }

            set.Clear();
            int pipeIndex = closed ? -1 : set.Add(pipe);
            int exitIndex = exited is null ? -1 : set.Add(exited);
            if (pipeIndex < 0 && exitIndex < 0)
            {
                return true;
            }

            set.Wait((int)Math.Min(left, int.MaxValue));
            if (pipeIndex >= 0 && set.Ready(pipeIndex))
            {
                ReadOnce(pipe);
            }

            if (exitIndex >= 0 && set.Ready(exitIndex))
            {
                return true;
            }
        }
    }

    /// <summary>Reads what is left until end of file or <paramref name="deadline"/>.</summary>
    public void Drain(SafeFileHandle pipe, long deadline)
    {
        while (!closed)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0 || !PollSet.WaitReadable(pipe, (int)left))
            {
                return;
            }

            ReadOnce(pipe);
        }
    }

    /// <summary>Reads two pipes together until both reach end of file, so neither fills while the other is waited on.</summary>
    public static void ReadBoth(CapturedOutput first, SafeFileHandle firstPipe, CapturedOutput second, SafeFileHandle secondPipe)
    {
        var set = new PollSet();
        while (!first.closed || !second.closed)
        {
            set.Clear();
            int firstIndex = first.closed ? -1 : set.Add(firstPipe);
            int secondIndex = second.closed ? -1 : set.Add(secondPipe);
            set.Wait(-1);
            if (firstIndex >= 0 && set.Ready(firstIndex))
            {
                first.ReadOnce(firstPipe);
            }

            if (secondIndex >= 0 && set.Ready(secondIndex))
            {
                second.ReadOnce(secondPipe);
            }
        }
    }

    private void ReadOnce(SafeFileHandle pipe)
    {
        int n = Descriptors.Read(pipe, buffer);
        if (n <= 0)
        {
            closed = n == 0;
            return;
        }

        int keep = Math.Min(n, maxBytes - kept.Count);
        for (int i = 0; i < keep; i++)
        {
            kept.Add(buffer[i]);
        }
    }
}
