using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Monitor;

namespace Skiff.Runtime.Terminal;

/// <summary>
/// Copies between our stdin/stdout and a pty master we hold directly (exec -t): stdin to the master on
/// one thread, the master to stdout on another, until the master reports end of file. Typed input is
/// watched for the detach sequence (<see cref="DetachKeys"/>), as attach watches it.
/// </summary>
public sealed class PtyRelay
{
    private readonly TaskCompletionSource detached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool stopped;

    private PtyRelay(Thread output)
    {
        Output = output;
    }

    /// <summary>The output thread: join it after the process ended so its last output is not lost.</summary>
    public Thread Output { get; }

    /// <summary>Completes when the user typed the detach sequence; input and output are no longer copied then.</summary>
    public Task Detached => detached.Task;

    /// <param name="detachKeys">The parsed sequence; empty disables detaching.</param>
    public static PtyRelay Start(SafeFileHandle master, bool forwardStdin, byte[] detachKeys)
    {
        PtyRelay? relay = null;
        var output = new Thread(() =>
        {
            using var stdout = new SafeFileHandle(1, ownsHandle: false);
            byte[] buffer = new byte[32 * 1024];
            int n;
            while ((n = Descriptors.Read(master, buffer)) > 0 && !relay!.stopped)
            {
                Descriptors.WriteAll(stdout, buffer.AsSpan(0, n));
            }
        })
        { IsBackground = true, Name = "pty-output" };
        relay = new PtyRelay(output);
        output.Start();
        if (forwardStdin)
        {
            var input = new Thread(() => relay.CopyInput(master, detachKeys)) { IsBackground = true, Name = "pty-input" };
            input.Start();
        }

        return relay;
    }

    private void CopyInput(SafeFileHandle master, byte[] detachKeys)
    {
        using var stdin = new SafeFileHandle(0, ownsHandle: false);
        var matcher = new DetachKeyMatcher(detachKeys);
        byte[] buffer = new byte[32 * 1024];
        var forward = new List<byte>(buffer.Length + detachKeys.Length);
        int n;
        while ((n = Descriptors.Read(stdin, buffer)) > 0)
        {
            forward.Clear();
            bool detach = matcher.Feed(buffer.AsSpan(0, n), forward);
            if (forward.Count > 0 && !Descriptors.WriteAll(master, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(forward)))
            {
                return;
            }

            if (detach)
            {
                stopped = true;
                detached.TrySetResult();
                return;
            }
        }
    }
}
