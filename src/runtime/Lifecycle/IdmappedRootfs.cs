using Microsoft.Win32.SafeHandles;
using Skiff.Core.Mounts;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Mounts a root container's root filesystem for its own user namespace without chowning anything: an
/// overlay cannot itself be idmapped, but its layers can (Linux 5.19), so each lower directory is
/// attached idmapped under <c>staging</c>, the overlay is mounted
/// from those, and the staging mounts are detached again (the overlay keeps its own references).
/// A bind-mounted snapshot (vfs) is idmapped directly.
/// </summary>
public sealed class IdmappedRootfs(RootfsMounter mounter)
{
    private const uint Overflow = 65534;

    public void Mount(IReadOnlyList<MountSpec> mounts, string target, string staging, Core.IdMaps.IdMap map, SafeFileHandle userNamespace)
    {
        foreach (MountSpec mount in mounts)
        {
            if (mount.Type != "overlay")
            {
                mounter.Mount([mount], target);
                IdmappedMounts.Replace(target, userNamespace);
                continue;
            }

            var attached = new List<string>();
            try
            {
                var options = new List<string>();
                if (mount.Options.FirstOrDefault(o => o.StartsWith("upperdir=", StringComparison.Ordinal)) is { } upper)
                {
                    // The upper directory is not idmapped: overlay does its work there with the mounter's
                    // (host root's) ids, which the container's map leaves out. What the container writes lands
                    // with its host ids, and the upper root takes the container root's owner, as the image's has.
                    Volumes.VolumeOwnership.Change(upper["upperdir=".Length..], map.HostUid(0) ?? Overflow, map.HostGid(0) ?? Overflow);
                }

                foreach (string option in mount.Options)
                {
                    if (option.StartsWith("lowerdir=", StringComparison.Ordinal))
                    {
                        string[] lowers = option["lowerdir=".Length..].Split(':');
                        options.Add("lowerdir=" + string.Join(':', lowers.Select((l, i) => Attach(l, Path.Combine(staging, "l" + i), userNamespace, attached))));
                    }
                    else
                    {
                        options.Add(option);
                    }
                }

                mounter.Mount([mount with { Options = options }], target);
            }
            finally
            {
                foreach (string path in attached)
                {
                    RootfsMounter.TryUnmount(path);
                    try
                    {
                        Directory.Delete(path);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }
    }

    private static string Attach(string source, string target, SafeFileHandle userNamespace, List<string> attached)
    {
        IdmappedMounts.Attach(source, target, userNamespace);
        attached.Add(target);
        return target;
    }
}
