using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Images.Native;

namespace Skiff.Images.Files;

/// <summary>
/// An open directory, and the only way skiff touches a tree it does not trust: every operation names
/// one component relative to this directory and never follows a final symlink, and deeper paths are
/// resolved with <c>openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS)</c> so that "..", absolute
/// symlinks and symlinked parents all stay inside the root.
/// </summary>
public sealed unsafe class DirectoryHandle : SafeHandle
{
    private DirectoryHandle(int fd, string displayPath)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
        DisplayPath = displayPath;
    }

    /// <summary>The path used in error messages (informational; operations never use it).</summary>
    public string DisplayPath { get; }

    public override bool IsInvalid => handle.ToInt32() < 0;

    private int Fd => handle.ToInt32();

    /// <summary>Opens a trusted host directory (skiff's own store paths).</summary>
    public static DirectoryHandle Open(string hostPath)
    {
        int fd;
        fixed (byte* p = Z(hostPath))
        {
            fd = Libc.openat(Libc.AT_FDCWD, p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            throw Fail("open", hostPath);
        }

        return new DirectoryHandle(fd, hostPath);
    }

    /// <summary>Creates (with parents) and opens a trusted host directory.</summary>
    public static DirectoryHandle CreateAndOpen(string hostPath)
    {
        Directory.CreateDirectory(hostPath);
        return Open(hostPath);
    }

    /// <summary>
    /// Resolves <paramref name="path"/> as if this directory were "/" (symlinks, absolute or relative,
    /// and ".." cannot leave it) and opens the directory it names.
    /// </summary>
    public DirectoryHandle OpenInRoot(string path)
    {
        string clean = TreePath.Clean(path);
        if (clean.Length == 0)
        {
            return Duplicate();
        }

        int fd = TryOpenInRoot(clean, out int errno);
        if (fd < 0)
        {
            throw new SystemCallException("openat2", Describe(clean), errno);
        }

        return new DirectoryHandle(fd, Describe(clean));
    }

    /// <summary>As <see cref="OpenInRoot"/>, but returns null when the path or a parent is missing or not a directory.</summary>
    public DirectoryHandle? TryOpenInRoot(string path)
    {
        string clean = TreePath.Clean(path);
        if (clean.Length == 0)
        {
            return Duplicate();
        }

        int fd = TryOpenInRoot(clean, out int errno);
        if (fd >= 0)
        {
            return new DirectoryHandle(fd, Describe(clean));
        }

        if (errno is Errnos.ENOENT or Errnos.ENOTDIR)
        {
            return null;
        }

        throw new SystemCallException("openat2", Describe(clean), errno);
    }

    /// <summary>Opens the child directory <paramref name="name"/> without following a symlink.</summary>
    public DirectoryHandle OpenChild(string name)
    {
        CheckName(name);
        int fd;
        fixed (byte* p = Z(name))
        {
            fd = Libc.openat(Fd, p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            throw Fail("open", Describe(name));
        }

        return new DirectoryHandle(fd, Describe(name));
    }

    public DirectoryHandle Duplicate()
    {
        int fd = Libc.dup(Fd);
        if (fd < 0)
        {
            throw Fail("dup", DisplayPath);
        }

        // dup does not carry O_CLOEXEC; reopen through the fd instead so children never inherit it.
        int reopened;
        fixed (byte* p = Z("."))
        {
            reopened = Libc.openat(fd, p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        }

        Libc.close(fd);
        if (reopened < 0)
        {
            throw Fail("open", DisplayPath);
        }

        return new DirectoryHandle(reopened, DisplayPath);
    }

    public FileStatus Stat(string name) =>
        TryStat(name) ?? throw new SystemCallException("statx", Describe(name), Errnos.ENOENT);

    /// <summary>lstat of a child ("" for this directory itself); null when it does not exist.</summary>
    public FileStatus? TryStat(string name)
    {
        if (name.Length != 0)
        {
            CheckName(name);
        }

        byte* buffer = stackalloc byte[256];
        int result;
        fixed (byte* p = Z(name))
        {
            result = Libc.statx(Fd, p, Libc.AT_SYMLINK_NOFOLLOW | (name.Length == 0 ? Libc.AT_EMPTY_PATH : 0), Libc.STATX_BASIC_STATS, buffer);
        }

        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errnos.ENOENT or Errnos.ENOTDIR)
            {
                return null;
            }

            throw new SystemCallException("statx", Describe(name), errno);
        }

        uint rawMode = *(ushort*)(buffer + 28);
        return new FileStatus(
            FileStatus.KindOf(rawMode),
            rawMode & 0xFFF,
            *(uint*)(buffer + 20),
            *(uint*)(buffer + 24),
            *(long*)(buffer + 40),
            *(ulong*)(buffer + 32),
            *(uint*)(buffer + 136),
            *(uint*)(buffer + 140),
            *(uint*)(buffer + 128),
            *(uint*)(buffer + 132),
            *(uint*)(buffer + 16),
            *(long*)(buffer + 112),
            *(uint*)(buffer + 120));
    }

    public void MakeDirectory(string name, uint mode)
    {
        CheckName(name);
        fixed (byte* p = Z(name))
        {
            if (Libc.mkdirat(Fd, p, mode) < 0)
            {
                throw Fail("mkdir", Describe(name));
            }
        }
    }

    /// <summary>As <see cref="MakeDirectory"/>, but returns false when the name exists (whatever it is).</summary>
    public bool TryMakeDirectory(string name, uint mode)
    {
        CheckName(name);
        fixed (byte* p = Z(name))
        {
            if (Libc.mkdirat(Fd, p, mode) == 0)
            {
                return true;
            }
        }

        if (Marshal.GetLastPInvokeError() == Errnos.EEXIST)
        {
            return false;
        }

        throw Fail("mkdir", Describe(name));
    }

    /// <summary>Creates a device node or fifo. Returns the errno instead of throwing for EPERM so callers can skip devices rootless.</summary>
    public int TryMakeNode(string name, FileKind kind, uint mode, uint major, uint minor)
    {
        CheckName(name);
        ulong dev = ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8)
            | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
        fixed (byte* p = Z(name))
        {
            if (Libc.mknodat(Fd, p, FileStatus.TypeBits(kind) | (mode & 0xFFF), dev) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errnos.EPERM)
                {
                    return errno;
                }

                throw new SystemCallException("mknod", Describe(name), errno);
            }
        }

        return 0;
    }

    /// <summary>Creates a symlink; the target is stored verbatim and never resolved.</summary>
    public void Symlink(string name, string target)
    {
        CheckName(name);
        if (target.Contains('\0'))
        {
            throw SkiffException.InvalidArgument($"symlink target contains a NUL byte: {Describe(name)}");
        }

        fixed (byte* t = Z(target))
        fixed (byte* p = Z(name))
        {
            if (Libc.symlinkat(t, Fd, p) < 0)
            {
                throw Fail("symlink", Describe(name));
            }
        }
    }

    /// <summary>As <see cref="Symlink"/>, but returns false when the name exists (whatever it is).</summary>
    public bool TrySymlink(string name, string target)
    {
        CheckName(name);
        if (target.Contains('\0'))
        {
            throw SkiffException.InvalidArgument($"symlink target contains a NUL byte: {Describe(name)}");
        }

        fixed (byte* t = Z(target))
        fixed (byte* p = Z(name))
        {
            if (Libc.symlinkat(t, Fd, p) == 0)
            {
                return true;
            }
        }

        if (Marshal.GetLastPInvokeError() == Errnos.EEXIST)
        {
            return false;
        }

        throw Fail("symlink", Describe(name));
    }

    /// <summary>Hard-links <paramref name="sourceName"/> in <paramref name="sourceDirectory"/> (a symlink is linked itself, not followed).</summary>
    public void Link(string name, DirectoryHandle sourceDirectory, string sourceName)
    {
        CheckName(name);
        CheckName(sourceName);
        fixed (byte* s = Z(sourceName))
        fixed (byte* p = Z(name))
        {
            if (Libc.linkat(sourceDirectory.Fd, s, Fd, p, 0) < 0)
            {
                throw Fail("link", Describe(name));
            }
        }
    }

    /// <summary>Creates a new regular file (fails if the name exists) and opens it for writing.</summary>
    public SafeFileHandle CreateFile(string name, uint mode = 0x180)
    {
        CheckName(name);
        int fd;
        fixed (byte* p = Z(name))
        {
            fd = Libc.openat(Fd, p, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY, mode);
        }

        if (fd < 0)
        {
            throw Fail("create", Describe(name));
        }

        return new SafeFileHandle(new IntPtr(fd), ownsHandle: true);
    }

    /// <summary>As <see cref="CreateFile"/>, but returns null when the name exists (whatever it is, a dangling symlink too).</summary>
    public SafeFileHandle? TryCreateFile(string name, uint mode = 0x180)
    {
        CheckName(name);
        int fd;
        fixed (byte* p = Z(name))
        {
            fd = Libc.openat(Fd, p, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY, mode);
        }

        if (fd >= 0)
        {
            return new SafeFileHandle(new IntPtr(fd), ownsHandle: true);
        }

        if (Marshal.GetLastPInvokeError() == Errnos.EEXIST)
        {
            return null;
        }

        throw Fail("create", Describe(name));
    }

    /// <summary>Opens an existing regular file for reading without following a symlink.</summary>
    public SafeFileHandle OpenFileForRead(string name)
    {
        CheckName(name);
        int fd;
        fixed (byte* p = Z(name))
        {
            fd = Libc.openat(Fd, p, Libc.O_RDONLY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC | Libc.O_NOCTTY | Libc.O_NONBLOCK, 0);
        }

        if (fd < 0)
        {
            throw Fail("open", Describe(name));
        }

        return new SafeFileHandle(new IntPtr(fd), ownsHandle: true);
    }

    /// <summary>lchown: a symlink's own owner changes, never its target's. "" means this directory.</summary>
    public void Chown(string name, uint uid, uint gid)
    {
        int result;
        fixed (byte* p = Z(name))
        {
            result = Libc.fchownat(Fd, p, uid, gid, Libc.AT_SYMLINK_NOFOLLOW | (name.Length == 0 ? Libc.AT_EMPTY_PATH : 0));
        }

        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new SystemCallException("chown", Describe(name), errno, errno == Errnos.EINVAL
                ? $"uid {uid} or gid {gid} is not mapped in the user namespace: the subordinate id range in /etc/subuid and /etc/subgid is too small for this image"
                : null);
        }
    }

    /// <summary>chmod without following: symlinks have no mode of their own and are refused by the kernel.</summary>
    public void Chmod(string name, uint mode)
    {
        int result;
        if (name.Length == 0)
        {
            result = Libc.fchmod(Fd, mode & 0xFFF);
        }
        else
        {
            CheckName(name);
            fixed (byte* p = Z(name))
            {
                result = Libc.fchmodat(Fd, p, mode & 0xFFF, Libc.AT_SYMLINK_NOFOLLOW);
            }
        }

        if (result < 0)
        {
            throw Fail("chmod", Describe(name));
        }
    }

    /// <summary>Sets access and modification times without following a symlink. "" means this directory.</summary>
    public void SetTimes(string name, long seconds, long nanoseconds)
    {
        Libc.Timespec* times = stackalloc Libc.Timespec[2];
        times[0] = new Libc.Timespec { Seconds = seconds, Nanoseconds = nanoseconds };
        times[1] = times[0];
        int result;
        fixed (byte* p = Z(name))
        {
            result = Libc.utimensat(Fd, p, times, Libc.AT_SYMLINK_NOFOLLOW | (name.Length == 0 ? Libc.AT_EMPTY_PATH : 0));
        }

        if (result < 0)
        {
            throw Fail("utimensat", Describe(name));
        }
    }

    /// <summary>
    /// Sets an extended attribute on a child without following it ("" for this directory). The path
    /// goes through /proc/self/fd of this handle, so only the final, unfollowed component is looked up.
    /// Returns errno for EPERM/ENOTSUP/EOPNOTSUPP so callers can skip what the kernel forbids.
    /// </summary>
    public int TrySetXattr(string name, string key, ReadOnlySpan<byte> value)
    {
        if (name.Length != 0)
        {
            CheckName(name);
        }

        // "/." keeps lsetxattr from acting on the /proc magic link itself when the directory is meant.
        string path = name.Length == 0 ? $"/proc/self/fd/{Fd}/." : $"/proc/self/fd/{Fd}/{name}";
        int result;
        fixed (byte* p = Z(path))
        fixed (byte* k = Z(key))
        fixed (byte* v = value)
        {
            result = Libc.lsetxattr(p, k, v, (nuint)value.Length, 0);
        }

        if (result < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is Errnos.EPERM or Errnos.EOPNOTSUPP or Errnos.EACCES)
            {
                return errno;
            }

            throw new SystemCallException($"setxattr {key}", Describe(name), errno);
        }

        return 0;
    }

    /// <summary>All extended attributes of a child (not followed); empty when the filesystem has none.</summary>
    public IReadOnlyDictionary<string, byte[]> ReadXattrs(string name)
    {
        // "/." keeps lsetxattr from acting on the /proc magic link itself when the directory is meant.
        string path = name.Length == 0 ? $"/proc/self/fd/{Fd}/." : $"/proc/self/fd/{Fd}/{name}";
        byte[] pathBytes = Z(path);
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        nint size;
        fixed (byte* p = pathBytes)
        {
            size = Libc.llistxattr(p, null, 0);
        }

        if (size <= 0)
        {
            return result;
        }

        byte[] list = new byte[size];
        fixed (byte* p = pathBytes)
        fixed (byte* l = list)
        {
            size = Libc.llistxattr(p, l, (nuint)list.Length);
        }

        if (size <= 0)
        {
            return result;
        }

        foreach (string key in Encoding.UTF8.GetString(list, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            byte[] keyBytes = Z(key);
            fixed (byte* p = pathBytes)
            fixed (byte* k = keyBytes)
            {
                nint length = Libc.lgetxattr(p, k, null, 0);
                if (length < 0)
                {
                    continue;
                }

                byte[] value = new byte[length];
                fixed (byte* v = value)
                {
                    length = Libc.lgetxattr(p, k, v, (nuint)value.Length);
                }

                if (length >= 0)
                {
                    result[key] = value.AsSpan(0, (int)length).ToArray();
                }
            }
        }

        return result;
    }

    public string ReadLink(string name)
    {
        CheckName(name);
        byte[] buffer = new byte[TreePath.MaxPathLength + 1];
        nint length;
        fixed (byte* p = Z(name))
        fixed (byte* b = buffer)
        {
            length = Libc.readlinkat(Fd, p, b, (nuint)buffer.Length);
        }

        if (length < 0)
        {
            throw Fail("readlink", Describe(name));
        }

        return Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    /// <summary>Removes a non-directory; a missing name is not an error.</summary>
    public void Unlink(string name)
    {
        CheckName(name);
        fixed (byte* p = Z(name))
        {
            if (Libc.unlinkat(Fd, p, 0) < 0 && Marshal.GetLastPInvokeError() != Errnos.ENOENT)
            {
                throw Fail("unlink", Describe(name));
            }
        }
    }

    /// <summary>Removes <paramref name="name"/> and, if it is a directory, everything below it, never following a symlink.</summary>
    public void RemoveTree(string name)
    {
        FileStatus? status = TryStat(name);
        if (status is null)
        {
            return;
        }

        if (status.Value.Kind != FileKind.Directory)
        {
            Unlink(name);
            return;
        }

        using (DirectoryHandle child = OpenChild(name))
        {
            child.RemoveContents();
        }

        fixed (byte* p = Z(name))
        {
            if (Libc.unlinkat(Fd, p, Libc.AT_REMOVEDIR) < 0 && Marshal.GetLastPInvokeError() != Errnos.ENOENT)
            {
                throw Fail("rmdir", Describe(name));
            }
        }
    }

    /// <summary>Empties this directory, keeping the directory itself.</summary>
    public void RemoveContents()
    {
        foreach (DirectoryEntry entry in List())
        {
            if (entry.Kind is FileKind.Directory or null)
            {
                RemoveTree(entry.Name);
            }
            else
            {
                Unlink(entry.Name);
            }
        }
    }

    /// <summary>renameat of a child to <paramref name="destinationName"/> in <paramref name="destination"/>.</summary>
    public void Rename(string name, DirectoryHandle destination, string destinationName)
    {
        CheckName(name);
        CheckName(destinationName);
        fixed (byte* s = Z(name))
        fixed (byte* d = Z(destinationName))
        {
            if (Libc.renameat(Fd, s, destination.Fd, d) < 0)
            {
                throw Fail("rename", Describe(name));
            }
        }
    }

    /// <summary>The names in this directory with their types where the filesystem reports them.</summary>
    public List<DirectoryEntry> List()
    {
        int fd;
        fixed (byte* p = Z("."))
        {
            fd = Libc.openat(Fd, p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        }

        if (fd < 0)
        {
            throw Fail("open", DisplayPath);
        }

        nint dir = Libc.fdopendir(fd);
        if (dir == 0)
        {
            Libc.close(fd);
            throw Fail("fdopendir", DisplayPath);
        }

        var entries = new List<DirectoryEntry>();
        try
        {
            while (true)
            {
                Marshal.SetLastPInvokeError(0);
                byte* entry = Libc.readdir64(dir);
                if (entry == null)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno != 0)
                    {
                        throw new SystemCallException("readdir", DisplayPath, errno);
                    }

                    break;
                }

                // struct dirent64: d_ino (8), d_off (8), d_reclen (2), d_type (1), d_name.
                byte type = entry[18];
                string name = Marshal.PtrToStringUTF8((nint)(entry + 19))!;
                if (name is "." or "..")
                {
                    continue;
                }

                entries.Add(new DirectoryEntry(name, type switch
                {
                    1 => FileKind.Fifo,
                    2 => FileKind.CharDevice,
                    4 => FileKind.Directory,
                    6 => FileKind.BlockDevice,
                    8 => FileKind.Regular,
                    10 => FileKind.Symlink,
                    12 => FileKind.Socket,
                    _ => null,
                }));
            }
        }
        finally
        {
            Libc.closedir(dir);
        }

        return entries;
    }

    /// <summary>Flushes the filesystem holding this directory (used before a completion marker).</summary>
    public void SyncFileSystem()
    {
        if (Libc.syncfs(Fd) < 0)
        {
            throw Fail("syncfs", DisplayPath);
        }
    }

    /// <summary>
    /// Best effort: marks this directory as the top of independent hierarchies (chattr +T). ext4's Orlov
    /// allocator then places each new subdirectory in a block group of its own choosing, as it does for
    /// directories under "/", instead of next to its parent. For unpacked layers that keeps a layer's
    /// inodes together, and on ext4 without a journal it also avoids groups full of recently deleted
    /// inodes, which the allocator skips one by one (a pull after removing a store was 5x slower).
    /// Filesystems without the flag refuse the ioctl; that is fine.
    /// </summary>
    public void TryMarkTopDirectory()
    {
        int flags = 0;
        if (Libc.ioctl(Fd, Libc.FS_IOC_GETFLAGS, &flags) < 0 || (flags & Libc.FS_TOPDIR_FL) != 0)
        {
            return;
        }

        flags |= Libc.FS_TOPDIR_FL;
        Libc.ioctl(Fd, Libc.FS_IOC_SETFLAGS, &flags);
    }

    /// <summary>The path of this directory as the kernel shows it to this process (for mount options).</summary>
    public string ProcPath => $"/proc/self/fd/{Fd}";

    protected override bool ReleaseHandle() => Libc.close(Fd) == 0;

    internal static byte[] Z(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        byte[] bytes = new byte[length + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static void CheckName(string name)
    {
        if (name.Length == 0 || name is "." or ".." || name.Contains('/') || name.Contains('\0'))
        {
            throw SkiffException.Internal($"not a single path component: '{name}'");
        }
    }

    private static SystemCallException Fail(string operation, string path) =>
        new(operation, path, Marshal.GetLastPInvokeError());

    private int TryOpenInRoot(string clean, out int errno)
    {
        var how = new Libc.OpenHow
        {
            Flags = (ulong)(Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC),
            Resolve = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS,
        };
        byte[] path = Z(clean);
        for (int attempt = 0; ; attempt++)
        {
            long fd;
            fixed (byte* p = path)
            {
                fd = Libc.syscall_openat2(Libc.SYS_openat2, Fd, p, &how, (nuint)sizeof(Libc.OpenHow));
            }

            if (fd >= 0)
            {
                errno = 0;
                return (int)fd;
            }

            errno = Marshal.GetLastPInvokeError();

            // RESOLVE_IN_ROOT returns EAGAIN when a concurrent rename could have let ".." escape; retrying is the documented answer.
            if ((errno == Errnos.EAGAIN || errno == Errnos.EINTR) && attempt < 32)
            {
                continue;
            }

            if (errno == Errnos.ENOSYS)
            {
                throw SkiffException.PrerequisiteMissing(
                    "the kernel lacks openat2(2), which skiff needs to unpack images safely",
                    "use Linux 5.6 or newer");
            }

            return -1;
        }
    }

    private string Describe(string name) => DisplayPath.EndsWith('/') ? DisplayPath + name : DisplayPath + "/" + name;
}
