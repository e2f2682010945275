using Skiff.Core.Errors;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Mounts;

/// <summary>
/// Builds the container's filesystem view inside its (already unshared) mount namespace: propagation,
/// the root, the spec's mounts resolved inside the root, /dev, pivot_root, sysctls, masked and
/// read-only paths and the working directory. Runs in the container's init before it waits for start.
/// </summary>
public sealed class RootfsBuilder(IMountSyscalls sys)
{
    private static readonly DeviceSpec[] DefaultDevices =
    [
        new() { Path = "/dev/null", Type = "c", Major = 1, Minor = 3, FileMode = 0x1b6 },
        new() { Path = "/dev/zero", Type = "c", Major = 1, Minor = 5, FileMode = 0x1b6 },
        new() { Path = "/dev/full", Type = "c", Major = 1, Minor = 7, FileMode = 0x1b6 },
        new() { Path = "/dev/random", Type = "c", Major = 1, Minor = 8, FileMode = 0x1b6 },
        new() { Path = "/dev/urandom", Type = "c", Major = 1, Minor = 9, FileMode = 0x1b6 },
        new() { Path = "/dev/tty", Type = "c", Major = 5, Minor = 0, FileMode = 0x1b6 },
    ];

    private static readonly (string Name, string Target)[] DevLinks =
    [
        ("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"), ("core", "/proc/kcore"),
    ];

    /// <param name="rootfs">Absolute host path of the root filesystem.</param>
    /// <param name="inUserNamespace">Device nodes cannot be created in a user namespace; they are bind-mounted from the host instead.</param>
    public void Build(RuntimeSpec spec, string rootfs, bool inUserNamespace)
    {
        LinuxSpec linux = spec.Linux ?? new LinuxSpec();
        string propagation = linux.RootfsPropagation ?? string.Empty;

        // Nothing we mount may propagate back to the host (or a slave keeps receiving host mounts).
        MountFlags rootPropagation = propagation is "slave" or "rslave" ? MountFlags.Slave : MountFlags.Private;
        sys.Mount(null, "/", null, MountFlags.Recursive | rootPropagation, null);

        foreach (SpecMount mount in spec.Mounts.Where(m => IsRoot(m.Destination)))
        {
            // A snapshotter's overlay for the root itself: mounted onto root.path before anything else.
            MountOptions options = MountOptions.Parse(mount.Options, mount.Type);
            sys.Mount(mount.Source, rootfs, options.Bind ? null : mount.Type, options.Flags | (options.Bind ? MountFlags.Bind : 0), options.Data);
        }

        // pivot_root needs the new root to be a mount point.
        sys.Mount(rootfs, rootfs, null, MountFlags.Bind | MountFlags.Recursive, null);
        if (propagation is "shared" or "rshared" or "unbindable" or "runbindable")
        {
            sys.Mount(null, rootfs, null, MountOptions.Parse([propagation]).Propagation, null);
        }

        foreach (SpecMount mount in spec.Mounts.Where(m => !IsRoot(m.Destination)))
        {
            MountOne(rootfs, mount, inUserNamespace, linux.CgroupsPath, spec.Mounts);
        }

        bool hasDev = spec.Mounts.Any(m => Normalize(m.Destination) == "/dev");
        if (hasDev || (linux.Devices?.Count ?? 0) > 0)
        {
            CreateDevices(rootfs, hasDev ? DefaultDevices.Concat(linux.Devices ?? []) : linux.Devices!, inUserNamespace);
        }

        if (hasDev)
        {
            using IMountTarget dev = sys.OpenInRoot(rootfs, "/dev", TargetKind.Directory);
            foreach ((string name, string target) in DevLinks)
            {
                // /dev/core only where the kernel has /proc/kcore (runc's rule): a dangling link otherwise.
                if (name != "core" || File.Exists(target))
                {
                    sys.Symlink(dev, name, target);
                }
            }

            if (spec.Mounts.Any(m => Normalize(m.Destination) == "/dev/pts"))
            {
                sys.Symlink(dev, "ptmx", "pts/ptmx");
            }
        }

        sys.PivotRoot(rootfs);

        foreach ((string key, string value) in linux.Sysctl ?? [])
        {
            sys.WriteFile("/proc/sys/" + key.Replace('.', '/'), value);
        }

        foreach (string path in linux.MaskedPaths ?? [])
        {
            Mask(path);
        }

        foreach (string path in linux.ReadonlyPaths ?? [])
        {
            MakeReadonly(path);
        }

        // Resolved inside the new root without magic links: WORKDIR /proc/self/fd/N must not reach
        // a descriptor of ours pointing outside the container.
        using (IMountTarget cwd = sys.OpenInRoot("/", spec.Process?.Cwd ?? "/", TargetKind.Directory))
        {
            sys.ChangeDirectory(cwd);
        }

        if (spec.Root?.Readonly == true)
        {
            sys.Mount(null, "/", null, MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly | sys.LockedFlagsOf("/"), null);
        }
    }

    /// <summary>
    /// As runc and crun (the OCI spec's /dev/console): the container's terminal bound at /dev/console, where an init
    /// such as systemd writes its boot messages (with no console it writes nothing). Only when the spec mounts /dev
    /// (so the file is made on that tmpfs, not in the image). Called after the pivot, so paths are the container's.
    /// </summary>
    public void BindConsole(RuntimeSpec spec, string terminal)
    {
        if (!spec.Mounts.Any(m => Normalize(m.Destination) == "/dev"))
        {
            return;
        }

        using IMountTarget console = sys.OpenInRoot("/", "/dev/console", TargetKind.File);
        sys.Mount(terminal, console.Path, null, MountFlags.Bind, null);
    }

    private void MountOne(string rootfs, SpecMount mount, bool inUserNamespace, string? cgroupsPath, IReadOnlyList<SpecMount> allMounts)
    {
        MountOptions options = MountOptions.Parse(mount.Options, mount.Type);
        string type = mount.Type ?? "none";
        if (options.Bind)
        {
            string source = mount.Source ?? throw SkiffException.InvalidArgument($"bind mount on {mount.Destination} has no source");
            TargetKind kind = sys.KindOf(source) switch
            {
                PathKind.Directory => TargetKind.Directory,
                PathKind.Other => TargetKind.File,
                _ => throw SkiffException.NotFound($"bind mount source {source} for {mount.Destination} does not exist"),
            };
            BindInto(rootfs, mount.Destination, source, kind, options);
        }
        else if ((type is "cgroup" or "cgroup2") && cgroupsPath is not null && OwnCgroupSources(cgroupsPath, inUserNamespace, allMounts) is { } sources)
        {
            MountOwnCgroups(rootfs, mount.Destination, sources, options.ReadOnly);
        }
        else if (type is "cgroup" or "cgroup2")
        {
            // No group of its own (rootless): the groups it inherited, read-only, as runc shows them to podman's
            // rootless containers; their files belong to the host's users, not the container's root.
            MountOwnCgroups(rootfs, mount.Destination, InheritedCgroupSources(), options.ReadOnly);
        }
        else
        {
            // tmpcopyup: what the image has there is opened before the tmpfs hides it, and copied from that descriptor.
            using IMountTarget? original = options.CopyUp ? TryOpenExisting(rootfs, mount.Destination) : null;
            using IMountTarget target = sys.OpenInRoot(rootfs, mount.Destination, TargetKind.Directory);
            try
            {
                MountFlags flags = options.Flags & ~MountFlags.Recursive;
                sys.Mount(mount.Source ?? type, target.Path, type, original is null ? flags : flags & ~MountFlags.ReadOnly, options.Data);
                if (original is not null)
                {
                    CopyUp(rootfs, mount.Destination, original, options.ReadOnly);
                }
            }
            catch (SystemCallException e) when (type == "sysfs" && inUserNamespace && e.Errno == Errnos.EPERM)
            {
                // sysfs needs a network namespace owned by our user namespace; with the host's
                // network (rootless --network host) bind the host's /sys instead, as crun does.
                BindInto(rootfs, mount.Destination, "/sys", TargetKind.Directory, options with { Flags = options.Flags | MountFlags.Recursive });
                return;
            }
            catch (SystemCallException e) when (type == "proc" && inUserNamespace && e.Errno == Errnos.EPERM)
            {
                // proc needs a pid namespace owned by our user namespace; with the host's (rootless --pid host)
                // bind the host's /proc instead, as crun and runc do.
                BindInto(rootfs, mount.Destination, "/proc", TargetKind.Directory, options with { Flags = options.Flags | MountFlags.Recursive });
                return;
            }
        }

        if (options.Propagation != MountFlags.None)
        {
            using IMountTarget mounted = sys.OpenInRoot(rootfs, mount.Destination, TargetKind.Existing);
            sys.Mount(null, mounted.Path, null, options.Propagation, null);
        }
    }

    /// <summary>The destination as it is before anything is created or mounted there; null when the root has nothing there.</summary>
    private IMountTarget? TryOpenExisting(string rootfs, string destination)
    {
        try
        {
            return sys.OpenInRoot(rootfs, destination, TargetKind.Existing);
        }
        catch (SystemCallException e) when (e.Errno is Errnos.ENOENT or Errnos.ENOTDIR)
        {
            return null;
        }
    }

    /// <summary>
    /// Copies the image's tree at <paramref name="destination"/> into the tmpfs just mounted there (as runc and crun do
    /// for tmpcopyup). A read-only tmpfs is filled first and made read-only after, as a mount (the superblock stays
    /// writable, as runc leaves it). The copy is bounded by the tmpfs's own size: a tree that does not fit fails the start.
    /// </summary>
    private void CopyUp(string rootfs, string destination, IMountTarget original, bool readOnly)
    {
        using IMountTarget mounted = sys.OpenInRoot(rootfs, destination, TargetKind.Existing);
        try
        {
            sys.CopyTree(rootfs, original, mounted);
        }
        catch (SystemCallException e) when (e.Errno == Errnos.ENOSPC)
        {
            throw SkiffException.InvalidArgument($"copying the image's {destination} into its tmpfs (tmpcopyup): the tmpfs is full; give it a larger size= or add notmpcopyup");
        }
        catch (SkiffException e)
        {
            throw new SkiffException(e.Kind, $"copying the image's {destination} into its tmpfs (tmpcopyup): {e.Message}", e.Hint, e);
        }

        if (readOnly)
        {
            sys.Mount(null, mounted.Path, null, MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly | sys.LockedFlagsOf(mounted.Path), null);
        }
    }

    /// <summary>
    /// The host directories of the container's own groups, or null when it sees the host's hierarchy instead.
    /// Rootless, a container has a group of its own only on cgroup v2 (a systemd scope, or a delegated
    /// subtree): it then sees that group as root does.
    /// </summary>
    private static IReadOnlyList<(string Name, string Directory)>? OwnCgroupSources(string cgroupsPath, bool inUserNamespace, IReadOnlyList<SpecMount> mounts)
    {
        Cgroups.CgroupLayout layout = Cgroups.CgroupLayoutDetector.Detect();
        IReadOnlyList<(string Name, string Directory)> sources = CgroupMountSources.For(layout, cgroupsPath, CgroupMountSources.NamedHandedOver(layout, mounts));
        return !inUserNamespace || sources is [{ Name.Length: 0 }] ? sources : null;
    }

    private static IReadOnlyList<(string Name, string Directory)> InheritedCgroupSources() =>
        CgroupMountSources.Inherited(Cgroups.CgroupLayoutDetector.Detect(), Cgroups.ProcCgroupEntry.Parse(Core.Files.KernelFile.ReadAllText("/proc/self/cgroup")));

    /// <summary>
    /// As runc on cgroup v1: a tmpfs with one read-only bind per hierarchy of the container's own group, so
    /// the container sees its limits and cannot change them or any other group's. On cgroup v2 the group itself,
    /// read-only unless the spec's mount says rw (systemd mode: systemd makes its groups below it).
    /// </summary>
    private void MountOwnCgroups(string rootfs, string destination, IReadOnlyList<(string Name, string Directory)> sources, bool readOnlyMount)
    {
        const MountFlags Safe = MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec;
        var readOnly = new MountOptions(Safe | MountFlags.ReadOnly, MountFlags.None, null, Bind: true);
        if (sources is [{ Name.Length: 0 } unified])
        {
            BindInto(rootfs, destination, unified.Directory, TargetKind.Directory, readOnlyMount ? readOnly : readOnly with { Flags = Safe });
            return;
        }

        using (IMountTarget target = sys.OpenInRoot(rootfs, destination, TargetKind.Directory))
        {
            sys.Mount("tmpfs", target.Path, "tmpfs", Safe, "mode=755");
        }

        foreach ((string name, string directory) in sources)
        {
            BindInto(rootfs, destination.TrimEnd('/') + "/" + name, directory, TargetKind.Directory, readOnly);
        }

        // Read-only as a mount, not as a superblock: a superblock remount syncs the filesystem first, which waits
        // for the writeback worker (0.5-2 ms here while other work writes), and nothing else mounts this tmpfs.
        using IMountTarget mounted = sys.OpenInRoot(rootfs, destination, TargetKind.Existing);
        sys.Mount(null, mounted.Path, null, MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly | Safe, null);
    }

    private void BindInto(string rootfs, string destination, string source, TargetKind kind, MountOptions options)
    {
        using (IMountTarget target = sys.OpenInRoot(rootfs, destination, kind))
        {
            sys.Mount(source, target.Path, null, MountFlags.Bind | (options.Flags & MountFlags.Recursive), null);
        }

        MountFlags remount = options.Flags & MountOptions.RemountFlags;
        if (remount != MountFlags.None)
        {
            // The descriptor opened before the bind points below it: reopen to reach the new mount.
            using IMountTarget mounted = sys.OpenInRoot(rootfs, destination, TargetKind.Existing);
            sys.Mount(null, mounted.Path, null, MountFlags.Remount | MountFlags.Bind | remount | sys.LockedFlagsOf(mounted.Path), null);
        }
    }

    private void CreateDevices(string rootfs, IEnumerable<DeviceSpec> devices, bool inUserNamespace)
    {
        foreach (DeviceSpec device in devices)
        {
            if (inUserNamespace)
            {
                using IMountTarget file = sys.OpenInRoot(rootfs, device.Path, TargetKind.File);
                sys.Mount(device.Path, file.Path, null, MountFlags.Bind, null);
                continue;
            }

            string parent = Path.GetDirectoryName(device.Path) ?? "/dev";
            using IMountTarget directory = sys.OpenInRoot(rootfs, parent, TargetKind.Directory);
            sys.MakeDevice(directory, Path.GetFileName(device.Path), device);
        }
    }

    private void Mask(string path)
    {
        switch (sys.KindOf(path))
        {
            case PathKind.Missing:
                return;
            case PathKind.Directory:
                sys.Mount("tmpfs", path, "tmpfs", MountFlags.ReadOnly, null);
                return;
            default:
                sys.Mount("/dev/null", path, null, MountFlags.Bind, null);
                return;
        }
    }

    private void MakeReadonly(string path)
    {
        if (sys.KindOf(path) == PathKind.Missing)
        {
            return;
        }

        sys.Mount(path, path, null, MountFlags.Bind | MountFlags.Recursive, null);
        sys.Mount(null, path, null, MountFlags.Remount | MountFlags.Bind | MountFlags.ReadOnly | sys.LockedFlagsOf(path), null);
    }

    private static bool IsRoot(string destination) => Normalize(destination) == "/";

    private static string Normalize(string destination) =>
        "/" + string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
}
