using Skiff.Core.Errors;
using Skiff.Images.Files;
using Skiff.Images.Unpack;

namespace Skiff.Images.Snapshots;

/// <summary>
/// Chooses the snapshotter: a configured name wins (flag --storage-driver, then $STORAGE_DRIVER, as
/// podman); otherwise a probe mounts a tiny overlay with a whiteout and an opaque directory under the
/// store (kernel overlay), then checks fuse-overlayfs and /dev/fuse, then falls back to vfs. The probe
/// result is cached in the runroot, which a reboot clears, so kernel changes are noticed.
/// </summary>
public sealed class StorageDriverSelector(string storeRoot, string runRoot, WhiteoutStyle whiteouts, bool canMount)
{
    public static readonly IReadOnlyList<string> Names = ["overlay", "fuse-overlayfs", "vfs"];

    private string CachePath => Path.Combine(runRoot, "storage-driver");

    public StorageDriverChoice Choose(string? configured)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            string name = configured == "overlay2" ? "overlay" : configured;
            if (!Names.Contains(name))
            {
                throw SkiffException.InvalidArgument($"unknown storage driver \"{configured}\"", "use overlay, fuse-overlayfs or vfs");
            }

            return new StorageDriverChoice(name, "configured");
        }

        try
        {
            string cached = File.ReadAllText(CachePath).Trim();
            if (Names.Contains(cached))
            {
                return new StorageDriverChoice(cached, "cached probe");
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        if (!canMount)
        {
            // Rootless outside skiff's user namespace nothing can be mounted; the commands that mount probe there.
            return new StorageDriverChoice("overlay", "not probed");
        }

        string probed = Probe();
        try
        {
            Directory.CreateDirectory(runRoot);
            Skiff.Core.Files.AtomicFile.WriteAllBytes(CachePath, System.Text.Encoding.UTF8.GetBytes(probed + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SkiffException)
        {
            // Not caching only costs another probe next time.
        }

        return new StorageDriverChoice(probed, "probed");
    }

    public ISnapshotter Create(StorageDriverChoice choice, LayerStore layers) => choice.Name switch
    {
        "overlay" => new OverlaySnapshotter(layers, fuse: false),
        "fuse-overlayfs" => new OverlaySnapshotter(layers, fuse: true),
        _ => new CopySnapshotter(layers),
    };

    private string Probe()
    {
        if (ProbeKernelOverlay())
        {
            return "overlay";
        }

        if (FuseOverlayAvailable())
        {
            return "fuse-overlayfs";
        }

        return "vfs";
    }

    /// <summary>Whether kernel overlay mounts here, probed now (no cache); <c>skiff system check</c> asks this inside the user namespace.</summary>
    public bool KernelOverlayWorks() => ProbeKernelOverlay();

    private bool ProbeKernelOverlay()
    {
        Directory.CreateDirectory(storeRoot);
        string probe = Path.Combine(storeRoot, $".probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        string merged = Path.Combine(probe, "merged");
        try
        {
            foreach (string d in new[] { "lower1/gone-dir", "lower1/opaque/hidden", "lower2/opaque", "upper", "work", "merged" })
            {
                Directory.CreateDirectory(Path.Combine(probe, d));
            }

            File.WriteAllText(Path.Combine(probe, "lower1", "gone"), "x");
            using (DirectoryHandle lower2 = DirectoryHandle.Open(Path.Combine(probe, "lower2")))
            {
                if (lower2.TryMakeNode("gone", FileKind.CharDevice, 0, 0, 0) != 0)
                {
                    return false;
                }

                using DirectoryHandle opaque = lower2.OpenChild("opaque");
                string key = whiteouts == WhiteoutStyle.OverlayUser ? "user.overlay.opaque" : "trusted.overlay.opaque";
                if (opaque.TrySetXattr(string.Empty, key, "y"u8) != 0)
                {
                    return false;
                }
            }

            string options = $"lowerdir={probe}/lower2:{probe}/lower1,upperdir={probe}/upper,workdir={probe}/work"
                + (whiteouts == WhiteoutStyle.OverlayUser ? ",userxattr" : string.Empty);
            if (KernelMounts.TryMount("overlay", merged, "overlay", 0, options) != 0)
            {
                return false;
            }

            try
            {
                return !File.Exists(Path.Combine(merged, "gone"))
                    && Directory.Exists(Path.Combine(merged, "gone-dir"))
                    && !Directory.Exists(Path.Combine(merged, "opaque", "hidden"));
            }
            finally
            {
                KernelMounts.Unmount(merged, detach: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SkiffException)
        {
            return false;
        }
        finally
        {
            try
            {
                using DirectoryHandle store = DirectoryHandle.Open(storeRoot);
                store.RemoveTree(Path.GetFileName(probe));
            }
            catch (SkiffException)
            {
            }
        }
    }

    /// <summary>Whether fuse-overlayfs is installed and /dev/fuse can be used.</summary>
    public static bool FuseOverlayAvailable()
    {
        bool program = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(d => File.Exists(Path.Combine(d, "fuse-overlayfs")));
        if (!program)
        {
            return false;
        }

        try
        {
            using FileStream fuse = new("/dev/fuse", FileMode.Open, FileAccess.ReadWrite);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
