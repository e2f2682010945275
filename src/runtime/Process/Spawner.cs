using System.Runtime.InteropServices;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Process;

/// <summary>
/// Starts processes with posix_spawn (a vfork-style clone in glibc, safe in a multi-threaded .NET process,
/// unlike a raw fork). Signal dispositions and mask are reset, so the child does not inherit .NET's
/// ignored SIGPIPE; every descriptor above the requested ones is closed.
/// </summary>
public static unsafe class Spawner
{
    /// <summary>
    /// Sources are first copied to StagingFd + i, then onto their targets, so that a dup2 onto a target
    /// never clobbers a source still needed. 900 stays under the usual soft RLIMIT_NOFILE of 1024.
    /// </summary>
    private const int StagingFd = 900;

    public static int Spawn(SpawnRequest request)
    {
        byte* fileActions = stackalloc byte[Libc.SpawnStructSize];
        byte* attr = stackalloc byte[Libc.SpawnStructSize];
        byte* sigDefault = stackalloc byte[Libc.SigSetSize];
        byte* sigMask = stackalloc byte[Libc.SigSetSize];
        Libc.posix_spawn_file_actions_init(fileActions);
        Libc.posix_spawnattr_init(attr);
        var pins = new List<SafeHandle>();
        var allocations = new List<IntPtr>();
        try
        {
            int highest = 2;
            foreach ((SafeHandle handle, int target) in request.Descriptors)
            {
                bool added = false;
                handle.DangerousAddRef(ref added);
                pins.Add(handle);
                highest = Math.Max(highest, target);
            }

            for (int i = 0; i < request.Descriptors.Count; i++)
            {
                int fd = (int)request.Descriptors[i].Handle.DangerousGetHandle();
                Check(Libc.posix_spawn_file_actions_adddup2(fileActions, fd, StagingFd + i), "posix_spawn_file_actions_adddup2");
            }

            for (int i = 0; i < request.Descriptors.Count; i++)
            {
                Check(Libc.posix_spawn_file_actions_adddup2(fileActions, StagingFd + i, request.Descriptors[i].Target), "posix_spawn_file_actions_adddup2");
            }

            Check(Libc.posix_spawn_file_actions_addclosefrom_np(fileActions, highest + 1), "posix_spawn_file_actions_addclosefrom_np");

            Libc.sigfillset(sigDefault);
            Libc.sigemptyset(sigMask);
            Libc.posix_spawnattr_setsigdefault(attr, sigDefault);
            Libc.posix_spawnattr_setsigmask(attr, sigMask);
            short flags = Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK;
            if (request.NewSession)
            {
                flags |= Libc.POSIX_SPAWN_SETSID;
            }
            else if (request.NewProcessGroup)
            {
                flags |= Libc.POSIX_SPAWN_SETPGROUP;
                Libc.posix_spawnattr_setpgroup(attr, 0);
            }

            Libc.posix_spawnattr_setflags(attr, flags);

            byte* path = Utf8(request.Executable, allocations);
            byte** argv = StringArray(request.Arguments.Prepend(request.ArgumentZero ?? request.Executable).ToList(), allocations);
            byte** envp = StringArray(request.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(), allocations);

            int pid;
            int rc = Libc.posix_spawn(&pid, path, fileActions, attr, argv, envp);
            if (rc != 0)
            {
                throw new SystemCallException("posix_spawn", request.Executable, rc);
            }

            return pid;
        }
        finally
        {
            Release(pins, allocations);
            Libc.posix_spawn_file_actions_destroy(fileActions);
            Libc.posix_spawnattr_destroy(attr);
        }
    }

    /// <summary>
    /// Starts <paramref name="request"/>'s program as <see cref="Spawn"/> does, but in new namespaces
    /// (<paramref name="create"/>, made by the clone itself) after joining <paramref name="joins"/>, through nsenter.c's
    /// skiff_spawn_into: no user namespace and no joined pid namespace (<see cref="Namespaces.NamespaceLauncher"/> decides).
    /// Throws DllNotFoundException where that function is not linked in (a JIT build).
    /// </summary>
    public static int SpawnInto(SpawnRequest request, Namespaces.NamespaceKinds create, IReadOnlyList<(SafeHandle Namespace, Namespaces.NamespaceKinds Kind)> joins)
    {
        var pins = new List<SafeHandle>();
        var allocations = new List<IntPtr>();
        try
        {
            int count = request.Descriptors.Count;
            int* fds = (int*)Allocate(2 * count + 2 * joins.Count + 2, allocations);
            int* joined = fds + (2 * count);
            int highest = 2;
            for (int i = 0; i < count; i++)
            {
                (SafeHandle handle, int target) = request.Descriptors[i];
                fds[2 * i] = Pin(handle, pins);
                fds[(2 * i) + 1] = target;
                highest = Math.Max(highest, target);
            }

            for (int i = 0; i < joins.Count; i++)
            {
                joined[2 * i] = Pin(joins[i].Namespace, pins);
                joined[(2 * i) + 1] = (int)joins[i].Kind;
            }

            var native = new Libc.SpawnIntoRequest
            {
                Path = Utf8(request.Executable, allocations),
                Argv = StringArray(request.Arguments.Prepend(request.ArgumentZero ?? request.Executable).ToList(), allocations),
                Envp = StringArray(request.Environment.Select(kv => $"{kv.Key}={kv.Value}").ToList(), allocations),
                Fds = fds,
                FdCount = count,
                CloseFrom = highest + 1,
                Joins = joined,
                JoinCount = joins.Count,
                Flags = (int)create,
            };
            int pid = Libc.skiff_spawn_into(&native);
            if (pid > 0 && native.Error != 0)
            {
                // It failed before its exec and exits 127.
                ChildProcesses.Wait(pid);
            }

            if (pid < 0 || native.Error != 0)
            {
                throw Namespaces.SyncMessage.StepFailure(native.Step, native.Error);
            }

            return pid;
        }
        finally
        {
            Release(pins, allocations);
        }
    }

    /// <summary>Releases the handles pinned for a spawn and frees its native strings and arrays.</summary>
    private static void Release(List<SafeHandle> pins, List<IntPtr> allocations)
    {
        foreach (SafeHandle handle in pins)
        {
            handle.DangerousRelease();
        }

        foreach (IntPtr allocation in allocations)
        {
            NativeMemory.Free((void*)allocation);
        }
    }

    private static int Pin(SafeHandle handle, List<SafeHandle> pins)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        pins.Add(handle);
        return (int)handle.DangerousGetHandle();
    }

    private static void* Allocate(int ints, List<IntPtr> allocations)
    {
        void* memory = NativeMemory.Alloc((nuint)Math.Max(ints, 1), sizeof(int));
        allocations.Add((IntPtr)memory);
        return memory;
    }

    private static void Check(int rc, string operation)
    {
        if (rc != 0)
        {
            throw new SystemCallException(operation, null, rc);
        }
    }

    private static byte* Utf8(string text, List<IntPtr> allocations)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        byte* buffer = (byte*)NativeMemory.Alloc((nuint)length + 1);
        allocations.Add((IntPtr)buffer);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, length));
        buffer[length] = 0;
        return buffer;
    }

    private static byte** StringArray(IReadOnlyList<string> items, List<IntPtr> allocations)
    {
        byte** array = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(byte*));
        allocations.Add((IntPtr)array);
        for (int i = 0; i < items.Count; i++)
        {
            array[i] = Utf8(items[i], allocations);
        }

        array[items.Count] = null;
        return array;
    }
}
