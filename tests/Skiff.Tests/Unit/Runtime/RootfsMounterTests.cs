using Skiff.Core.Mounts;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>How a container's root is mounted from its snapshot: volatile overlays for --rm containers, and the marker they leave.</summary>
public sealed class RootfsMounterTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skiff-rootfs-").FullName;
    private readonly RecordingMountSyscalls kernel = new();

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Work => Path.Combine(root, "work");

    private string Target => Path.Combine(root, "merged");

    private MountSpec Overlay() => new("overlay", "overlay", "/", ["lowerdir=/l", "upperdir=/u", "workdir=" + Work]);

    [Fact]
    public void An_overlay_is_mounted_volatile_when_asked()
    {
        new RootfsMounter(kernel).Mount([Overlay()], Target, @volatile: true);

        Assert.Equal([$"mount overlay {Target} overlay None lowerdir=/l,upperdir=/u,workdir={Work},volatile"], kernel.Calls);
    }

    [Fact]
    public void Without_volatile_the_options_are_the_snapshots()
    {
        new RootfsMounter(kernel).Mount([Overlay()], Target);

        Assert.Equal([$"mount overlay {Target} overlay None lowerdir=/l,upperdir=/u,workdir={Work}"], kernel.Calls);
    }

    [Fact]
    public void A_kernel_without_volatile_gets_the_plain_overlay()
    {
        kernel.RefusedOptions.Add("volatile");

        new RootfsMounter(kernel).Mount([Overlay()], Target, @volatile: true);

        Assert.Equal([$"mount overlay {Target} overlay None lowerdir=/l,upperdir=/u,workdir={Work}"], kernel.Calls);
    }

    [Fact]
    public void Other_errors_are_not_retried()
    {
        kernel.RefusedTypes.Add("overlay");

        Assert.Throws<Skiff.Core.Errors.SystemCallException>(() => new RootfsMounter(kernel).Mount([Overlay()], Target, @volatile: true));
        Assert.Empty(kernel.Calls);
    }

    [Fact]
    public void A_copied_root_is_bound_as_before()
    {
        new RootfsMounter(kernel).Mount([new MountSpec("bind", "/snap", "/", ["rbind"])], Target, @volatile: true);

        Assert.Equal([$"mount /snap {Target} - Bind, Recursive"], kernel.Calls);
    }

    [Fact]
    public void The_marker_of_an_earlier_volatile_mount_is_removed_before_mounting()
    {
        // The kernel refuses to mount an upper and work directory a volatile overlay used until this is gone.
        Directory.CreateDirectory(Path.Combine(Work, "work", "incompat", "volatile", "dirty"));
        Directory.CreateDirectory(Path.Combine(Work, "work", "kept"));

        new RootfsMounter(kernel).Mount([Overlay()], Target);

        Assert.False(Directory.Exists(Path.Combine(Work, "work", "incompat")));
        Assert.True(Directory.Exists(Path.Combine(Work, "work", "kept")));
        Assert.Single(kernel.Calls);
    }
}
