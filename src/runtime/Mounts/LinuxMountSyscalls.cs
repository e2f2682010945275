using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Mounts;

/// <summary>The real <see cref="IMountSyscalls"/>: every path inside the root is resolved with openat2(RESOLVE_IN_ROOT).</summary>
public sealed unsafe class LinuxMountSyscalls : IMountSyscalls
{
    private const ulong InRoot = Libc.RESOLVE_IN_ROOT | Libc.RESOLVE_NO_MAGICLINKS;

    /// <summary>A tree the entry stage cloned, attached instead of a bind mount of its source.</summary>
    public ClonedMount? Cloned { get; init; }

    /// <summary>Copies trees for tmpfs copy-up; without one a tmpcopyup mount fails.</summary>
    public ITreeCopier? Copier { get; init; }

    public void CopyTree(string root, IMountTarget original, IMountTarget mounted)
    {
        ITreeCopier copier = Copier ?? throw SkiffException.Internal("tmpcopyup: no tree copier was wired into this runtime");
        copier.Copy(root, original.Path, mounted.Path);
    }

    public void Mount(string? source, string target, string? fsType, MountFlags flags, string? data)
    {
        if (Cloned is { } cloned && flags.HasFlag(MountFlags.Bind) && !flags.HasFlag(MountFlags.Remount) && source == cloned.Source)
        {
            using SafeFileHandle directory = Open(target);
            if (Libc.move_mount_to(cloned.Tree, directory) != 0)
            {
                throw new SystemCallException("move_mount", $"{source} on {target}", Marshal.GetLastPInvokeError());
            }

            return;
        }

        if (Libc.mount(source, target, fsType, (ulong)flags, data) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string what = fsType is null ? $"{source ?? "none"} on {target} ({flags})" : $"{fsType} {source} on {target} ({flags}{(data is null ? string.Empty : ", " + data)})";
            throw new SystemCallException("mount", what, errno);
        }
    }

    /// <summary>Symlinks followed while creating a target, as the kernel's own limit.</summary>
    private const int MaxLinks = 40;

    public IMountTarget OpenInRoot(string root, string path, TargetKind create) => OpenInRoot(root, path, create, 0);

    private static IMountTarget OpenInRoot(string root, string path, TargetKind create, int links)
    {
        if (links > MaxLinks)
        {
            throw new SystemCallException("openat2", $"{path} in {root}", Errnos.ELOOP);
        }

        string relative = path.Trim('/');
        using SafeFileHandle rootFd = Open(root);
        if (relative.Length == 0)
        {
            return new LinuxMountTarget(Open(root));
        }

        SafeFileHandle? found = TryOpenAt2(rootFd, relative, out int errno);
        if (found is not null)
        {
            return new LinuxMountTarget(found);
        }

        if (errno != Errnos.ENOENT || create == TargetKind.Existing)
        {
            throw new SystemCallException("openat2", $"{path} in {root}", errno);
        }

        string[] parts = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string prefix = string.Join('/', parts, 0, i + 1);
            using (SafeFileHandle? existing = TryOpenAt2(rootFd, prefix, out errno))
            {
                if (existing is not null)
                {
                    continue;
                }
            }

            if (errno != Errnos.ENOENT)
            {
                throw new SystemCallException("openat2", $"/{prefix} in {root}", errno);
            }

            using SafeFileHandle parent = i == 0 ? Open(root) : OpenAt2(rootFd, string.Join('/', parts, 0, i), root);
            int parentFd = parent.DangerousGetHandle().ToInt32();
            bool leaf = i == parts.Length - 1;
            int failed = 0;
            if (!leaf || create == TargetKind.Directory)
            {
                if (Libc.mkdirat(parentFd, parts[i], 0x1ed) != 0)
                {
                    failed = Marshal.GetLastPInvokeError();
                }
            }
            else
            {
                int fd = Libc.openat(parentFd, parts[i], Libc.O_CREAT | Libc.O_WRONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | Libc.O_NOCTTY, 0x1a4);
                if (fd < 0)
                {
                    failed = Marshal.GetLastPInvokeError();
                }
                else
                {
                    Libc.close(fd);
                }
            }

            if (failed is Errnos.EEXIST or Errnos.ELOOP && ReadLink(parentFd, parts[i]) is string link)
            {
                // A dangling symlink (an image whose /dev points nowhere): create its target instead,
                // still resolved inside the root.
                string parentPath = string.Join('/', parts, 0, i);
                string rewritten = (link.StartsWith('/') ? link : parentPath + "/" + link) + "/" + string.Join('/', parts, i + 1, parts.Length - i - 1);
                return OpenInRoot(root, Lexical(rewritten), create, links + 1);
            }

            if (failed != 0 && failed != Errnos.EEXIST)
            {
                throw new SystemCallException(leaf && create == TargetKind.File ? "openat" : "mkdirat", $"/{prefix} in {root}", failed);
            }
        }

        return new LinuxMountTarget(OpenAt2(rootFd, relative, root));
    }

    public void MakeDevice(IMountTarget directory, string name, DeviceSpec device)
    {
        int dirFd = ((LinuxMountTarget)directory).Fd;
        uint type = device.Type switch
        {
            "b" => Libc.S_IFBLK,
            "p" => Libc.S_IFIFO,
            _ => Libc.S_IFCHR,
        };
        ulong major = (ulong)device.Major;
        ulong minor = (ulong)device.Minor;
        ulong dev = ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);
        uint mode = (device.FileMode ?? 0x1b6) & 0xfff;
        if (Libc.mknodat(dirFd, name, type | mode, dev) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EEXIST)
            {
                throw new SystemCallException("mknod", device.Path, errno);
            }
        }
        else if (Libc.fchmodat(dirFd, name, mode, 0) != 0)
        {
            // mknod applied the umask (0022: /dev/null would be 0644, unwritable for a non-root user); the spec's
            // mode is meant as given, as runc and crun chmod after mknod. Only a node we just made is changed.
            throw new SystemCallException("fchmodat", device.Path, Marshal.GetLastPInvokeError());
        }

        if ((device.Uid ?? 0) != 0 || (device.Gid ?? 0) != 0)
        {
            // AT_SYMLINK_NOFOLLOW: the name was just created by us, but never follow one regardless.
            if (Libc.fchownat(dirFd, name, device.Uid ?? 0, device.Gid ?? 0, 0x100) != 0)
            {
                throw new SystemCallException("fchownat", device.Path, Marshal.GetLastPInvokeError());
            }
        }
    }

    public void Symlink(IMountTarget directory, string name, string target)
    {
        if (Libc.symlinkat(target, ((LinuxMountTarget)directory).Fd, name) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errnos.EEXIST)
            {
                throw new SystemCallException("symlinkat", name, errno);
            }
        }
    }

    public void PivotRoot(string newRoot)
    {
        if (Libc.chdir(newRoot) != 0)
        {
            throw new SystemCallException("chdir", newRoot, Marshal.GetLastPInvokeError());
        }

        // pivot_root(".", "."): the old root ends up stacked on the new one and is detached right away,
        // so no directory for it is needed inside the container.
        byte* dot = stackalloc byte[] { (byte)'.', 0 };
        if (Libc.syscall(Libc.SYS_pivot_root, (long)dot, (long)dot, 0, 0, 0) != 0)
        {
            throw new SystemCallException("pivot_root", newRoot, Marshal.GetLastPInvokeError());
        }

        if (Libc.umount2(".", Libc.MNT_DETACH) != 0)
        {
            throw new SystemCallException("umount2", "old root", Marshal.GetLastPInvokeError());
        }

        if (Libc.chdir("/") != 0)
        {
            throw new SystemCallException("chdir", "/", Marshal.GetLastPInvokeError());
        }
    }

    public void ChangeDirectory(IMountTarget directory)
    {
        if (Libc.fchdir(((LinuxMountTarget)directory).Fd) != 0)
        {
            throw new SystemCallException("fchdir", directory.Path, Marshal.GetLastPInvokeError());
        }
    }

    public PathKind KindOf(string path) =>
        Directory.Exists(path) ? PathKind.Directory : File.Exists(path) ? PathKind.Other : PathKind.Missing;

    public MountFlags LockedFlagsOf(string path)
    {
        byte* buffer = stackalloc byte[Libc.StatvfsSize];
        if (Libc.statvfs(path, buffer) != 0)
        {
            throw new SystemCallException("statvfs", path, Marshal.GetLastPInvokeError());
        }

        ulong st = *(ulong*)(buffer + Libc.StatvfsFlagOffset);
        MountFlags flags = (MountFlags)(st & (ulong)(MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec | MountFlags.NoAtime | MountFlags.NoDirAtime));
        const ulong StRelAtime = 4096;
        if ((st & StRelAtime) != 0)
        {
            flags |= MountFlags.RelAtime;
        }

        return flags;
    }

    public void WriteFile(string path, string content)
    {
        int fd = Libc.open(path, Libc.O_WRONLY | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, 0);
        if (fd < 0)
        {
            throw new SystemCallException("open", path, Marshal.GetLastPInvokeError());
        }

        try
        {
            byte[] bytes = Encoding.UTF8.GetBytes(content);
            fixed (byte* p = bytes)
            {
                if (Libc.write(fd, p, (nuint)bytes.Length) != bytes.Length)
                {
                    throw new SystemCallException("write", path, Marshal.GetLastPInvokeError());
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static string? ReadLink(int directoryFd, string name)
    {
        byte* buffer = stackalloc byte[4096];
        nint length = Libc.readlinkat(directoryFd, name, buffer, 4096);
        return length < 0 || length >= 4096 ? null : Encoding.UTF8.GetString(buffer, (int)length);
    }

    /// <summary>Removes `.` and `..` without looking at the disk; `..` stops at the root, as RESOLVE_IN_ROOT does.</summary>
    private static string Lexical(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    private static SafeFileHandle Open(string path)
    {
        int fd = Libc.open(path, Libc.O_PATH | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            throw new SystemCallException("open", path, Marshal.GetLastPInvokeError());
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private static SafeFileHandle OpenAt2(SafeFileHandle root, string relative, string rootName) =>
        TryOpenAt2(root, relative, out int errno) ?? throw new SystemCallException("openat2", $"/{relative} in {rootName}", errno);

    private static SafeFileHandle? TryOpenAt2(SafeFileHandle root, string relative, out int errno)
    {
        var how = new Libc.OpenHow { Flags = (ulong)(Libc.O_PATH | Libc.O_CLOEXEC), Resolve = InRoot };
        byte[] name = Encoding.UTF8.GetBytes(relative + "\0");
        long fd;
        fixed (byte* p = name)
        {
            fd = Libc.syscall(Libc.SYS_openat2, root.DangerousGetHandle().ToInt32(), (long)p, (long)&how, sizeof(Libc.OpenHow), 0);
        }

        if (fd < 0)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }

        errno = 0;
        return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
    }
}
