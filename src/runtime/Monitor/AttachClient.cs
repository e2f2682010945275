using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Terminal;

namespace Skiff.Runtime.Monitor;

/// <summary>
/// The CLI side of attach: copies the monitor's stdout/stderr frames to our fds 1 and 2 and, when asked,
/// our stdin to the container, watching for the detach keys. Ends when the container exits (its code),
/// when the user detaches, or when the monitor goes away.
/// </summary>
public sealed class AttachClient(SafeFileHandle socket)
{
    private readonly object gate = new();
    private readonly TaskCompletionSource<AttachResult> done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static SafeFileHandle Connect(string socketPath) => UnixSockets.Connect(socketPath, seqPacket: true);

    /// <summary>Copy the container's stdout frames to our fd 1 (run -a picks the streams; all by default).</summary>
    public bool Stdout { get; init; } = true;

    /// <summary>Copy the container's stderr frames to our fd 2.</summary>
    public bool Stderr { get; init; } = true;

    /// <summary>Ends the session from another thread (a signal handler) with <see cref="AttachEnd.Left"/> and <paramref name="exitCode"/>.</summary>
    public void Leave(int exitCode)
    {
        if (done.TrySetResult(new AttachResult(AttachEnd.Left, exitCode)))
        {
            UnixSockets.Shutdown(socket);
        }
    }

    public Task<AttachResult> RunAsync(bool forwardStdin, byte[] detachKeys)
    {
        if (!forwardStdin)
        {
            // Nothing else to do meanwhile: copy on the calling thread. Starting a thread (and the thread
            // pool for the continuation) costs a few ms at the end of every `run`, more on a busy machine.
            CopyOutput();
            return done.Task;
        }

        Threading.BackgroundThread.Start("attach-output", CopyOutput);
        Threading.BackgroundThread.Start("attach-input", () => CopyInput(detachKeys));

        return done.Task;
    }

    public void SendResize(TerminalSize size)
    {
        Span<byte> frame = stackalloc byte[5];
        frame[0] = AttachFrame.Resize;
        BinaryPrimitives.WriteUInt16LittleEndian(frame[1..], size.Rows);
        BinaryPrimitives.WriteUInt16LittleEndian(frame[3..], size.Columns);
        Send(frame);
    }

    private void Send(ReadOnlySpan<byte> frame)
    {
        lock (gate)
        {
            UnixSockets.Send(socket, frame);
        }
    }

    private void CopyOutput()
    {
        using var stdout = new SafeFileHandle(1, ownsHandle: false);
        using var stderr = new SafeFileHandle(2, ownsHandle: false);
        byte[] buffer = new byte[AttachFrame.MaxPayload + 1];
        while (true)
        {
            int n = UnixSockets.Receive(socket, buffer);
            if (n == 0)
            {
                done.TrySetResult(new AttachResult(AttachEnd.MonitorGone, 0));
                return;
            }

            switch (buffer[0])
            {
                case AttachFrame.Stdout when Stdout:
                    Descriptors.WriteAll(stdout, buffer.AsSpan(1, n - 1));
                    break;
                case AttachFrame.Stderr when Stderr:
                    Descriptors.WriteAll(stderr, buffer.AsSpan(1, n - 1));
                    break;
                case AttachFrame.Exit when n >= 5:
                    done.TrySetResult(new AttachResult(AttachEnd.Exited, BinaryPrimitives.ReadInt32LittleEndian(buffer.AsSpan(1))));
                    return;
            }
        }
    }

    private void CopyInput(byte[] detachKeys)
    {
        using var stdin = new SafeFileHandle(0, ownsHandle: false);
        var matcher = new DetachKeyMatcher(detachKeys);
        byte[] buffer = new byte[AttachFrame.MaxPayload];
        var forward = new List<byte>(AttachFrame.MaxPayload + 1);
        while (true)
        {
            int n;
            try
            {
                n = Descriptors.Read(stdin, buffer);
            }
            catch (Core.Errors.SystemCallException)
            {
                n = 0;
            }

            if (n <= 0)
            {
                Send([AttachFrame.StdinClose]);
                return;
            }

            forward.Clear();
            forward.Add(AttachFrame.Stdin);
            bool detach = matcher.Feed(buffer.AsSpan(0, n), forward);
            if (forward.Count > 1)
            {
                Send(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(forward));
            }

            if (detach)
            {
                done.TrySetResult(new AttachResult(AttachEnd.Detached, 0));
                return;
            }
        }
    }
}
