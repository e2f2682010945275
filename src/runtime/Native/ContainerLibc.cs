using System.Runtime.InteropServices;

namespace Skiff.Runtime.Native;

/// <summary>
/// The system calls container setup needs (mount, pivot_root, capabilities, exec, …); kept apart from Libc.cs so each
/// area's declarations stay together.
/// </summary>
internal static unsafe partial class Libc
{
    public const int AT_FDCWD = -100;

    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_NOCTTY = 0x100;

    // O_DIRECTORY and O_NOFOLLOW differ between x86_64 and arm64.
    public static readonly int O_DIRECTORY = IsArm64 ? 0x4000 : 0x10000;
    public static readonly int O_NOFOLLOW = IsArm64 ? 0x8000 : 0x20000;


    public const int MNT_DETACH = 2;

    public const int PR_SET_DUMPABLE = 4;
    public const int PR_SET_KEEPCAPS = 8;
    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_RAISE = 2;
    public const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    public const uint LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    public const uint CLOSE_RANGE_CLOEXEC = 4;

    public const uint S_IFIFO = 0x1000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFBLK = 0x6000;

    public const int SECCOMP_SET_MODE_FILTER = 1;

    /// <summary>statvfs: f_flag is the tenth 8-byte field on LP64.</summary>
    public const int StatvfsSize = 112;
    public const int StatvfsFlagOffset = 72;

    private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static long SYS_pivot_root => IsArm64 ? 41 : 155;

    public static long SYS_seccomp => IsArm64 ? 277 : 317;


    [StructLayout(LayoutKind.Sequential)]
    public struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Rlimit
    {
        public ulong Current;
        public ulong Max;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct SockFprog
    {
        public ushort Length;
        public void* Filter;
    }

    private const long SYS_rt_sigaction = 13;

    /// <summary>Sets the disposition of <paramref name="signal"/> to SIG_DFL if it is SIG_IGN (raw rt_sigaction: the kernel's struct, not glibc's).</summary>
    internal static void DefaultIfIgnored(int signal)
    {
        // struct kernel_sigaction { handler; flags; restorer; mask (8 bytes) }
        ulong* old = stackalloc ulong[4];
        if (syscall(SYS_rt_sigaction, signal, 0, (long)old, 8, 0) == 0 && old[0] == 1 /* SIG_IGN */)
        {
            ulong* dfl = stackalloc ulong[4];
            syscall(SYS_rt_sigaction, signal, (long)dfl, 0, 8, 0);
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial long syscall(long number, long a1, long a2, long a3, long a4, long a5);

    // The new mount API (linux/mount.h); the numbers are the same on every architecture (424 and up).
    public const long SYS_open_tree = 428;
    public const long SYS_move_mount = 429;
    public const long SYS_mount_setattr = 442;
    public const uint OPEN_TREE_CLONE = 1;
    public const uint AT_RECURSIVE = 0x8000;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;
    public const ulong MOUNT_ATTR_IDMAP = 0x00100000;

    [StructLayout(LayoutKind.Sequential)]
    public struct MountAttr
    {
        public ulong AttrSet;
        public ulong AttrClr;
        public ulong Propagation;
        public ulong UsernsFd;
    }

    /// <summary>open_tree(AT_FDCWD, path, flags): an fd of the mount at path (a detached copy with OPEN_TREE_CLONE), or -1.</summary>
    public static int open_tree(string path, uint flags)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            return (int)syscall(SYS_open_tree, AT_FDCWD, (long)p, flags, 0, 0);
        }
    }

    /// <summary>mount_setattr(fd, "", AT_EMPTY_PATH, {MOUNT_ATTR_IDMAP, userns_fd}): 0 or -1.</summary>
    public static int mount_setattr_idmap(SafeHandle tree, SafeHandle userNamespace)
    {
        byte empty = 0;
        var attr = new MountAttr { AttrSet = MOUNT_ATTR_IDMAP, UsernsFd = (ulong)userNamespace.DangerousGetHandle() };
        return (int)syscall(SYS_mount_setattr, tree.DangerousGetHandle(), (long)&empty, AT_EMPTY_PATH, (long)&attr, sizeof(MountAttr));
    }

    public const uint MOVE_MOUNT_T_EMPTY_PATH = 0x40;

    /// <summary>
    /// move_mount(fd, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH): attaches a detached mount on the
    /// directory <paramref name="target"/> is open on; 0 or -1. (A /proc/self/fd/N target path fails here with EINVAL
    /// for a tree cloned from another mount namespace.)
    /// </summary>
    public static int move_mount_to(SafeHandle tree, SafeHandle target)
    {
        byte empty = 0;
        return (int)syscall(SYS_move_mount, tree.DangerousGetHandle(), (long)&empty, target.DangerousGetHandle(), (long)&empty, MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
    }

    /// <summary>move_mount(fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH): attaches a detached mount at target; 0 or -1.</summary>
    public static int move_mount(SafeHandle tree, string target)
    {
        byte empty = 0;
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(target + "\0");
        fixed (byte* p = bytes)
        {
            return (int)syscall(SYS_move_mount, tree.DangerousGetHandle(), (long)&empty, AT_FDCWD, (long)p, MOVE_MOUNT_F_EMPTY_PATH);
        }
    }

    /// <summary>seccomp(SECCOMP_SET_MODE_FILTER, flags, prog); 0 or errno.</summary>
    public static int InstallSeccompFilter(Seccomp.BpfInstruction[] program, uint flags)
    {
        fixed (Seccomp.BpfInstruction* filter = program)
        {
            var prog = new SockFprog { Length = (ushort)program.Length, Filter = filter };
            return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, (long)&prog, 0, 0) == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mount(string? source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int umount2(string target, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int chdir(string path);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchdir(int fd);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int openat(int dirfd, string path, int flags, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdirat(int dirfd, string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mknodat(int dirfd, string path, uint mode, ulong dev);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkfifo(string path, uint mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int symlinkat(string target, int dirfd, string linkpath);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint readlinkat(int dirfd, string path, byte* buffer, nint size);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statvfs(string path, byte* buffer);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int sethostname(byte* name, nint length);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int capset(CapHeader* header, CapData* data);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prlimit(int pid, int resource, Rlimit* newLimit, Rlimit* oldLimit);

    /// <summary>linux/personality.h: the execution domains the OCI spec names.</summary>
    public const uint PER_LINUX = 0x0000;
    public const uint PER_LINUX32 = 0x0008;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int personality(uint persona);

    // Credentials belong to a thread. glibc's setgroups/setresuid/setresgid change every thread of the process
    // (a signal to each, then a wait until each has run), which on the start path of a container means waking
    // the runtime's idle threads three times just before execve ends them. The raw calls change the calling
    // thread only, the one that execs (as a forked child's raw calls do in Go's and other runtimes' exec paths).
    private static long SYS_setgroups => IsArm64 ? 159 : 116;

    private static long SYS_setresuid => IsArm64 ? 147 : 117;

    private static long SYS_setresgid => IsArm64 ? 149 : 119;

    /// <summary>setgroups(2) for the calling thread only (see above).</summary>
    public static int SetGroupsOfThread(nint size, uint* groups) => (int)syscall(SYS_setgroups, size, (long)groups, 0, 0, 0);

    /// <summary>setresuid(2) for the calling thread only (see above).</summary>
    public static int SetResUidOfThread(uint ruid, uint euid, uint suid) => (int)syscall(SYS_setresuid, ruid, euid, suid, 0, 0);

    /// <summary>setresgid(2) for the calling thread only (see above).</summary>
    public static int SetResGidOfThread(uint rgid, uint egid, uint sgid) => (int)syscall(SYS_setresgid, rgid, egid, sgid, 0, 0);

    [LibraryImport("libc")]
    public static partial uint umask(uint mask);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close_range(uint first, uint last, uint flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int execve(byte* path, byte** argv, byte** envp);

    [LibraryImport("libc")]
    public static partial void _exit(int status);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchownat(int dirfd, string path, uint owner, uint group, int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int fchmodat(int dirfd, string path, uint mode, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int fchown(int fd, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, nint argument);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int setsid();

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint sendmsg(int fd, MsgHdr* message, int flags);

    public const ulong TIOCSPTLCK = 0x40045431;
    public const ulong TIOCGPTN = 0x80045430;
    public const ulong TIOCGPTPEER = 0x5441;
    public const ulong TIOCSCTTY = 0x540E;

    /// <summary>cmsghdr followed by one int: CMSG_SPACE(sizeof(int)) is 24 on LP64.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FdControlMessage
    {
        public nuint Length;
        public int Level;
        public int Type;
        public int Fd;
        public int Padding;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int dup2(int oldfd, int newfd);
}
