using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Containers;

/// <summary>
/// What a <see cref="PreparedInit"/> gets from the runtime before its spec, which a spawned init has from its
/// spawn: its stdin, stdout and stderr, the state directory, the root's mount tree (its mount namespace was copied
/// before the root was mounted) and, for a terminal, the console socket. One SCM_RIGHTS message on the sync socket.
/// </summary>
public static class InitHandover
{
    /// <summary>Where the descriptors land in the init, by their place in the message (the root tree stays where it arrives).</summary>
    private static readonly int[] Targets = [0, 1, 2, ContainerInit.StateDirectoryFd];

    /// <summary>Descriptors above the init's own: received ones are moved here before they are put in place, so none overwrites another.</summary>
    private const int Scratch = 64;

    public static void Send(
        SafeHandle sync,
        (SafeHandle In, SafeHandle Out, SafeHandle Err) stdio,
        SafeHandle stateDirectory,
        SafeHandle rootTree,
        SafeHandle? console)
    {
        List<SafeHandle> descriptors = [stdio.In, stdio.Out, stdio.Err, stateDirectory, rootTree];
        if (console is not null)
        {
            descriptors.Add(console);
        }

        UnixSockets.SendDescriptors(sync, [(byte)descriptors.Count], descriptors);
    }

    /// <summary>
    /// In the init: receives the descriptors and puts stdio, the state directory and the console socket where a
    /// spawned init has them (0-2, <see cref="ContainerInit.StateDirectoryFd"/>, <see cref="ContainerInit.ConsoleSocketFd"/>);
    /// returns the root's mount tree (close-on-exec).
    /// </summary>
    public static SafeFileHandle Receive(SafeHandle sync)
    {
        Span<byte> count = stackalloc byte[1];
        (int length, IReadOnlyList<SafeFileHandle> received) = UnixSockets.ReceiveDescriptors(sync, count, UnixSockets.MaxDescriptors);
        if (length == 0)
        {
            throw SkiffException.Internal("the runtime closed the sync socket before sending the init its descriptors");
        }

        if (received.Count != count[0] || received.Count is < 5 or > 6)
        {
            foreach (SafeFileHandle handle in received)
            {
                handle.Dispose();
            }

            throw SkiffException.Internal($"the init expected 5 or 6 descriptors and got {received.Count}");
        }

        List<SafeFileHandle> moved = [.. received.Select(handle => Descriptors.DuplicateAbove(handle, Scratch))];
        foreach (SafeFileHandle handle in received)
        {
            handle.Dispose();
        }

        for (int i = 0; i < Targets.Length; i++)
        {
            Descriptors.DuplicateTo(moved[i], Targets[i]);
            moved[i].Dispose();
        }

        if (moved.Count == 6)
        {
            Descriptors.DuplicateTo(moved[5], ContainerInit.ConsoleSocketFd);
            moved[5].Dispose();
        }

        return moved[4];
    }
}
