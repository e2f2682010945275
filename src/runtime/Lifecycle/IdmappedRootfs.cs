using Microsoft.Win32.SafeHandles;
using Skiff.Core.Mounts;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Mounts a root container's root filesystem for its own user namespace without chowning anything: an
/// overlay cannot itself be idmapped, but its layers can (Linux 5.19), so each lower directory and the
/// snapshot's upper/work directory are attached idmapped under <c>staging</c>, the overlay is mounted
/// from those, and the staging mounts are detached again (the overlay keeps its own references).
/// A bind-mounted snapshot (vfs) is idmapped directly.
/// </summary>
public sealed class IdmappedRootfs(RootfsMounter mounter)
{
    public void Mount(IReadOnlyList<MountSpec> mounts, string target, string staging, SafeFileHandle userNamespace)
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
                string? upper = mount.Options.FirstOrDefault(o => o.StartsWith("upperdir=", StringComparison.Ordinal))?["upperdir=".Length..];
                string? work = mount.Options.FirstOrDefault(o => o.StartsWith("workdir=", StringComparison.Ordinal))?["workdir=".Length..];
                string? snapshot = upper is null ? null : Path.GetDirectoryName(upper);
                if (snapshot is not null && work is not null && Path.GetDirectoryName(work) == snapshot)
                {
                    // upperdir and workdir must stay on one mount: idmap their common parent once.
                    string mapped = Attach(snapshot, Path.Combine(staging, "upper"), userNamespace, attached);
                    upper = Path.Combine(mapped, Path.GetFileName(upper!));
                    work = Path.Combine(mapped, Path.GetFileName(work));
                }

                foreach (string option in mount.Options)
                {
                    if (option.StartsWith("lowerdir=", StringComparison.Ordinal))
                    {
                        string[] lowers = option["lowerdir=".Length..].Split(':');
                        options.Add("lowerdir=" + string.Join(':', lowers.Select((l, i) => Attach(l, Path.Combine(staging, "l" + i), userNamespace, attached))));
                    }
                    else if (option.StartsWith("upperdir=", StringComparison.Ordinal) && upper is not null)
                    {
                        options.Add("upperdir=" + upper);
                    }
                    else if (option.StartsWith("workdir=", StringComparison.Ordinal) && work is not null)
                    {
                        options.Add("workdir=" + work);
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
