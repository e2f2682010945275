using Skiff.Runtime.Mounts;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Runtime;

public class RootfsBuilderTests
{
    private const string Rootfs = "/b/rootfs";

    private static RuntimeSpec DefaultSpec() =>
        SpecDefaults.Create(new SpecDefaultsOptions(["sh"], Rootfs) { Cwd = "/work" });

    [Fact]
    public void Plans_podmans_default_container_as_root()
    {
        var sys = new RecordingMountSyscalls();
        sys.Paths["/proc/kcore"] = PathKind.Other;
        sys.Paths["/proc/acpi"] = PathKind.Directory;
        sys.Paths["/proc/sys"] = PathKind.Directory;
        RuntimeSpec spec = DefaultSpec();
        spec.Linux!.Sysctl = new() { ["net.ipv4.ip_forward"] = "1" };

        new RootfsBuilder(sys).Build(spec, Rootfs, inUserNamespace: false);

        List<string> calls = sys.Calls;
        Assert.Equal("mount - / - Recursive, Private", calls[0]);
        Assert.Equal("mount /b/rootfs /b/rootfs - Bind, Recursive", calls[1]);
        Assert.Contains("mount proc /b/rootfs/proc proc NoSuid, NoDev, NoExec", calls);
        Assert.Contains("mount tmpfs /b/rootfs/dev tmpfs NoSuid, StrictAtime mode=755,size=65536k", calls);
        Assert.Contains("mount devpts /b/rootfs/dev/pts devpts NoSuid, NoExec newinstance,ptmxmode=0666,mode=0620,gid=5", calls);
        Assert.Contains("mount sysfs /b/rootfs/sys sysfs ReadOnly, NoSuid, NoDev, NoExec", calls);
        Assert.Contains("mknod /b/rootfs/dev/null c 1:3", calls);
        Assert.Contains("mknod /b/rootfs/dev/tty c 5:0", calls);
        Assert.Contains("symlink /b/rootfs/dev/ptmx -> pts/ptmx", calls);
        Assert.Contains("symlink /b/rootfs/dev/fd -> /proc/self/fd", calls);

        // Mounts happen before pivot_root; sysctls, masks and read-only paths after it, in the new root,
        // and sysctls before /proc/sys becomes read-only.
        int pivot = calls.IndexOf("pivot_root /b/rootfs");
        Assert.True(pivot > calls.IndexOf("mknod /b/rootfs/dev/null c 1:3"));
        int sysctl = calls.IndexOf("write /proc/sys/net/ipv4/ip_forward 1");
        int masked = calls.IndexOf("mount /dev/null /proc/kcore - Bind");
        int readonlyBind = calls.IndexOf("mount /proc/sys /proc/sys - Bind, Recursive");
        int readonlyRemount = calls.IndexOf("mount - /proc/sys - ReadOnly, NoSuid, NoDev, NoExec, Remount, Bind");
        Assert.True(pivot < sysctl && sysctl < masked && masked < readonlyBind && readonlyBind < readonlyRemount, string.Join('\n', calls));
        Assert.Contains("mount tmpfs /proc/acpi tmpfs ReadOnly", calls);
        Assert.DoesNotContain(calls, c => c.Contains("/proc/keys", StringComparison.Ordinal));
        Assert.Equal("chdir /work", calls[^1]);
    }

    [Fact]
    public void Binds_device_nodes_in_a_user_namespace_and_falls_back_to_binding_sys()
    {
        var sys = new RecordingMountSyscalls();
        sys.RefusedTypes.Add("sysfs");
        new RootfsBuilder(sys).Build(DefaultSpec(), Rootfs, inUserNamespace: true);

        Assert.DoesNotContain(sys.Calls, c => c.StartsWith("mknod", StringComparison.Ordinal));
        Assert.Contains("create File /dev/null", sys.Calls);
        Assert.Contains("mount /dev/null /b/rootfs/dev/null - Bind", sys.Calls);
        Assert.Contains("mount /sys /b/rootfs/sys - Bind, Recursive", sys.Calls);
        Assert.Contains("mount - /b/rootfs/sys - ReadOnly, NoSuid, NoDev, NoExec, Remount, Bind", sys.Calls);
    }

    [Fact]
    public void Bind_mounts_create_the_right_kind_of_target_and_remount_read_only()
    {
        var sys = new RecordingMountSyscalls();
        sys.Paths["/host/file"] = PathKind.Other;
        sys.Paths["/host/dir"] = PathKind.Directory;
        RuntimeSpec spec = DefaultSpec();
        spec.Mounts =
        [
            new SpecMount { Destination = "/etc/hosts", Type = "bind", Source = "/host/file", Options = ["rbind", "ro", "rprivate"] },
            new SpecMount { Destination = "/data", Source = "/host/dir", Options = ["bind"] },
        ];
        spec.Linux!.MaskedPaths = [];
        spec.Linux.ReadonlyPaths = [];
        spec.Root!.Readonly = true;

        new RootfsBuilder(sys).Build(spec, Rootfs, inUserNamespace: false);

        Assert.Contains("create File /etc/hosts", sys.Calls);
        Assert.Contains("mount /host/file /b/rootfs/etc/hosts - Bind, Recursive", sys.Calls);
        Assert.Contains("mount - /b/rootfs/etc/hosts - ReadOnly, NoSuid, NoDev, NoExec, Remount, Bind", sys.Calls);
        Assert.Contains("mount - /b/rootfs/etc/hosts - Recursive, Private", sys.Calls);
        Assert.Contains("create Directory /data", sys.Calls);
        Assert.Contains("mount /host/dir /b/rootfs/data - Bind", sys.Calls);
        Assert.DoesNotContain(sys.Calls, c => c.StartsWith("mount - /b/rootfs/data", StringComparison.Ordinal));
        Assert.Equal("mount - / - ReadOnly, NoSuid, NoDev, NoExec, Remount, Bind", sys.Calls[^1]);
    }

    [Fact]
    public void A_root_overlay_is_mounted_onto_the_rootfs_before_the_self_bind()
    {
        var sys = new RecordingMountSyscalls();
        RuntimeSpec spec = DefaultSpec();
        spec.Mounts.Insert(0, new SpecMount { Destination = "/", Type = "overlay", Source = "overlay", Options = ["lowerdir=/l", "upperdir=/u", "workdir=/w"] });
        spec.Linux!.RootfsPropagation = "rslave";

        new RootfsBuilder(sys).Build(spec, Rootfs, inUserNamespace: false);

        Assert.Equal("mount - / - Recursive, Slave", sys.Calls[0]);
        Assert.Equal("mount overlay /b/rootfs overlay None lowerdir=/l,upperdir=/u,workdir=/w", sys.Calls[1]);
        Assert.Equal("mount /b/rootfs /b/rootfs - Bind, Recursive", sys.Calls[2]);
    }

    [Fact]
    public void Mount_options_split_into_flags_propagation_and_data()
    {
        MountOptions options = MountOptions.Parse(["rbind", "ro", "nosuid", "rslave", "size=1m", "z"]);
        Assert.True(options.Bind);
        Assert.True(options.Recursive);
        Assert.True(options.ReadOnly);
        Assert.Equal(MountFlags.Slave | MountFlags.Recursive, options.Propagation);
        Assert.Equal("size=1m", options.Data);
        Assert.False(MountOptions.Parse(["ro", "rw"]).ReadOnly);
    }

    [Fact]
    public void Tmpcopyup_is_a_tmpfs_option_and_not_the_kernels()
    {
        MountOptions copy = MountOptions.Parse(["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"], "tmpfs");
        Assert.True(copy.CopyUp);
        Assert.Null(copy.Data);
        Assert.False(MountOptions.Parse(["tmpcopyup", "notmpcopyup"], "tmpfs").CopyUp);
        Assert.False(MountOptions.Parse(["size=1m"], "tmpfs").CopyUp);
        Assert.False(MountOptions.Parse(["tmpcopyup"], "bind").CopyUp);
        Assert.Equal("size=1m", MountOptions.Parse(["notmpcopyup", "size=1m"], "tmpfs").Data);
    }

    [Fact]
    public void A_tmpcopyup_tmpfs_gets_the_tree_it_hides_copied_in()
    {
        var sys = new RecordingMountSyscalls();
        RuntimeSpec spec = DefaultSpec();
        spec.Mounts.Add(new SpecMount { Destination = "/etc", Type = "tmpfs", Source = "tmpfs", Options = ["rw", "rprivate", "nosuid", "nodev", "tmpcopyup", "size=1m"] });
        spec.Mounts.Add(new SpecMount { Destination = "/empty", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "nodev"] });

        new RootfsBuilder(sys).Build(spec, Rootfs, inUserNamespace: false);

        List<string> calls = sys.Calls;
        int mount = calls.IndexOf("mount tmpfs /b/rootfs/etc tmpfs NoSuid, NoDev size=1m");
        int copy = calls.IndexOf("copy /b/rootfs/etc -> /b/rootfs/etc");
        Assert.True(mount >= 0 && copy == mount + 1, string.Join('\n', calls));
        Assert.Equal("mount - /b/rootfs/etc - Recursive, Private", calls[copy + 1]);
        Assert.DoesNotContain(calls, c => c.StartsWith("copy /b/rootfs/empty", StringComparison.Ordinal));
    }

    [Fact]
    public void A_read_only_tmpcopyup_tmpfs_is_filled_first_and_made_read_only_after()
    {
        var sys = new RecordingMountSyscalls { Locked = MountFlags.NoSuid | MountFlags.NoDev };
        RuntimeSpec spec = DefaultSpec();
        spec.Mounts.Add(new SpecMount { Destination = "/etc", Type = "tmpfs", Source = "tmpfs", Options = ["ro", "nosuid", "nodev", "tmpcopyup"] });

        new RootfsBuilder(sys).Build(spec, Rootfs, inUserNamespace: false);

        int mount = sys.Calls.IndexOf("mount tmpfs /b/rootfs/etc tmpfs NoSuid, NoDev");
        Assert.True(mount >= 0, string.Join('\n', sys.Calls));
        Assert.Equal("copy /b/rootfs/etc -> /b/rootfs/etc", sys.Calls[mount + 1]);
        Assert.Equal("mount - /b/rootfs/etc - ReadOnly, NoSuid, NoDev, Remount, Bind", sys.Calls[mount + 2]);
    }

    [Fact]
    public void Nothing_is_copied_where_the_image_has_nothing()
    {
        var sys = new RecordingMountSyscalls();
        sys.MissingInRoot.Add("/new");
        RuntimeSpec spec = DefaultSpec();
        spec.Mounts.Add(new SpecMount { Destination = "/new", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "tmpcopyup"] });

        new RootfsBuilder(sys).Build(spec, Rootfs, inUserNamespace: false);

        Assert.Contains("mount tmpfs /b/rootfs/new tmpfs NoSuid", sys.Calls);
        Assert.DoesNotContain(sys.Calls, c => c.StartsWith("copy ", StringComparison.Ordinal));
    }
}
