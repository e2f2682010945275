using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The mounts a container in systemd mode gets on top of the usual ones, as podman 4.3's setupSystemd: tmpfs where
/// systemd wants a fresh writable directory, and a cgroup hierarchy systemd can write (cgroup v2: the container's
/// cgroup mounted read-write; v1: the host's name=systemd hierarchy bound read-write, its release_agent masked).
/// </summary>
public static class SystemdMounts
{
    /// <summary>The named v1 hierarchy systemd keeps its groups in, where podman looks for it.</summary>
    public const string NamedHierarchy = "/sys/fs/cgroup/systemd";

    public const string CgroupRoot = "/sys/fs/cgroup";

    /// <summary>systemd expects these on tmpfs (/run/lock after /run, which would hide it).</summary>
    public static IReadOnlyList<string> TmpfsDestinations { get; } = ["/run", "/run/lock", "/tmp", "/var/log/journal"];

    /// <summary>podman's options; tmpcopyup (runc's and crun's) copies what the image has there into the tmpfs.</summary>
    private static readonly string[] TmpfsOptions = ["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"];

    /// <summary>A tmpfs on each of <see cref="TmpfsDestinations"/> that no mount of <paramref name="taken"/> has already.</summary>
    public static List<SpecMount> Tmpfs(IEnumerable<string> taken)
    {
        var destinations = taken.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var mounts = new List<SpecMount>(TmpfsDestinations.Count);
        foreach (string destination in TmpfsDestinations)
        {
            if (!destinations.Contains(destination))
            {
                mounts.Add(new SpecMount { Destination = destination, Type = "tmpfs", Source = "tmpfs", Options = [.. TmpfsOptions] });
            }
        }

        return mounts;
    }

    /// <summary>
    /// Makes the cgroup mounts of <paramref name="mounts"/> writable for systemd. cgroup v2: /sys/fs/cgroup becomes the
    /// container's own group read-write when it has a cgroup namespace, else the host's hierarchy bound read-write (as
    /// podman). v1: the name=systemd hierarchy is bound read-write over the read-only view of the container's groups
    /// (added when the container had none, rootless), and its release_agent is masked: a process that could write it
    /// would run a program on the host as root when a group empties.
    /// </summary>
    public static void ApplyCgroup(List<SpecMount> mounts, List<string> maskedPaths, CgroupLayout layout, bool cgroupNamespace)
    {
        int existing = mounts.FindIndex(m => Normalize(m.Destination) == CgroupRoot);
        switch (layout.Mode)
        {
            case CgroupMode.None:
                return;
            case CgroupMode.Unified:
            {
                SpecMount writable = cgroupNamespace
                    ? new SpecMount { Destination = CgroupRoot, Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "rw"] }
                    : new SpecMount { Destination = CgroupRoot, Type = "bind", Source = CgroupRoot, Options = ["bind", "rprivate", "nosuid", "noexec", "nodev", "rw"] };
                if (existing >= 0)
                {
                    mounts[existing] = writable;
                }
                else
                {
                    mounts.Add(writable);
                }

                return;
            }

            default:
                if (layout.NamedV1Mounts?.Contains(NamedHierarchy, StringComparer.Ordinal) != true)
                {
                    return;
                }

                if (existing < 0)
                {
                    mounts.Add(new SpecMount { Destination = CgroupRoot, Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] });
                }

                mounts.Add(new SpecMount { Destination = NamedHierarchy, Type = "bind", Source = NamedHierarchy, Options = ["bind", "rprivate", "nosuid", "noexec", "nodev", "rw"] });
                maskedPaths.Add(NamedHierarchy + "/release_agent");
                return;
        }
    }

    private static string Normalize(string destination) => "/" + string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries));
}
