namespace Skiff.Runtime.Mounts;

/// <summary>
/// A spec mount's option list split the way mount(2) wants it: flags for the mount itself, a
/// propagation change applied afterwards, and the rest as the filesystem's data string.
/// </summary>
public sealed record MountOptions(MountFlags Flags, MountFlags Propagation, string? Data, bool Bind)
{
    /// <summary>
    /// tmpcopyup (runc's and crun's option, podman's default for tmpfs): what the container's root has at the
    /// destination is copied into the fresh tmpfs; notmpcopyup or no option leaves it empty.
    /// </summary>
    public bool CopyUp { get; init; }

    /// <summary>Flags that a bind mount only gets through a second, remounting call.</summary>
    public const MountFlags RemountFlags = MountFlags.ReadOnly | MountFlags.NoSuid | MountFlags.NoDev | MountFlags.NoExec
        | MountFlags.NoAtime | MountFlags.NoDirAtime | MountFlags.RelAtime | MountFlags.StrictAtime | MountFlags.NoSymFollow;

    public bool Recursive => (Flags & MountFlags.Recursive) != 0;

    public bool ReadOnly => (Flags & MountFlags.ReadOnly) != 0;

    public static MountOptions Parse(IEnumerable<string>? options, string? type = null)
    {
        MountFlags flags = MountFlags.None;
        MountFlags propagation = MountFlags.None;
        bool bind = type == "bind";
        bool copyUp = false;
        var data = new List<string>();
        foreach (string option in options ?? [])
        {
            switch (option)
            {
                case "ro": flags |= MountFlags.ReadOnly; break;
                case "rw": flags &= ~MountFlags.ReadOnly; break;
                case "nosuid": flags |= MountFlags.NoSuid; break;
                case "suid": flags &= ~MountFlags.NoSuid; break;
                case "nodev": flags |= MountFlags.NoDev; break;
                case "dev": flags &= ~MountFlags.NoDev; break;
                case "noexec": flags |= MountFlags.NoExec; break;
                case "exec": flags &= ~MountFlags.NoExec; break;
                case "sync": flags |= MountFlags.Synchronous; break;
                case "async": flags &= ~MountFlags.Synchronous; break;
                case "dirsync": flags |= MountFlags.DirSync; break;
                case "noatime": flags |= MountFlags.NoAtime; break;
                case "atime": flags &= ~MountFlags.NoAtime; break;
                case "nodiratime": flags |= MountFlags.NoDirAtime; break;
                case "diratime": flags &= ~MountFlags.NoDirAtime; break;
                case "relatime": flags |= MountFlags.RelAtime; break;
                case "norelatime": flags &= ~MountFlags.RelAtime; break;
                case "strictatime": flags |= MountFlags.StrictAtime; break;
                case "nostrictatime": flags &= ~MountFlags.StrictAtime; break;
                case "lazytime": flags |= MountFlags.LazyTime; break;
                case "nosymfollow": flags |= MountFlags.NoSymFollow; break;
                case "defaults": break;
                case "bind": bind = true; break;
                case "rbind": bind = true; flags |= MountFlags.Recursive; break;
                case "private": propagation = MountFlags.Private; break;
                case "rprivate": propagation = MountFlags.Private | MountFlags.Recursive; break;
                case "slave": propagation = MountFlags.Slave; break;
                case "rslave": propagation = MountFlags.Slave | MountFlags.Recursive; break;
                case "shared": propagation = MountFlags.Shared; break;
                case "rshared": propagation = MountFlags.Shared | MountFlags.Recursive; break;
                case "unbindable": propagation = MountFlags.Unbindable; break;
                case "runbindable": propagation = MountFlags.Unbindable | MountFlags.Recursive; break;

                case "tmpcopyup": copyUp = true; break;
                case "notmpcopyup": copyUp = false; break;

                // podman/docker options that are not for the kernel.
                case "z" or "Z" or "U" or "copy" or "nocopy" or "idmap": break;
                default: data.Add(option); break;
            }
        }

        return new MountOptions(flags, propagation, data.Count == 0 ? null : string.Join(',', data), bind) { CopyUp = copyUp && type == "tmpfs" };
    }
}
