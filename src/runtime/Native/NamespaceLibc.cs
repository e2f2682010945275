using System.Runtime.InteropServices;

namespace Skiff.Runtime.Native;

/// <summary>setns(2) and unshare(2) for one thread (a network namespace may be entered by a thread of a multi-threaded process).</summary>
internal static partial class Libc
{
    public const int CLONE_NEWNET = 0x40000000;
    public const int CLONE_NEWCGROUP = 0x02000000;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setns(SafeHandle fd, int nstype);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unshare(int flags);

    /// <summary>nsenter.c's struct skiff_spawn_request.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public unsafe struct SpawnIntoRequest
    {
        public byte* Path;
        public byte** Argv;
        public byte** Envp;
        public int* Fds;
        public int FdCount;
        public int CloseFrom;
        public int* Joins;
        public int JoinCount;
        public int Flags;
        public int Error;
        public int Step;
    }

    /// <summary>
    /// nsenter.c's skiff_spawn_into, linked into the published binary (the CLI project's DirectPInvoke of
    /// <see cref="NativeStage"/>); elsewhere (a JIT build, another program) the call throws DllNotFoundException.
    /// </summary>
    [LibraryImport(NativeStage, EntryPoint = "skiff_spawn_into")]
    public static unsafe partial int skiff_spawn_into(SpawnIntoRequest* request);

    public const string NativeStage = "skiffstage";
}
