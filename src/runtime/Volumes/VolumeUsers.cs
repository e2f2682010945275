using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Volumes;

/// <summary>Which containers mount which volumes (read from the containers' configs; the caller holds the volume lock).</summary>
public sealed class VolumeUsers(ContainerStore containers)
{
    /// <summary>Ids of the containers that mount <paramref name="name"/>.</summary>
    public IReadOnlyList<string> Of(string name) =>
        All().Where(u => u.Volume == name).Select(u => u.ContainerId).Distinct().ToList();

    /// <summary>Names of all volumes some container mounts.</summary>
    public IReadOnlySet<string> InUse() => All().Select(u => u.Volume).ToHashSet(StringComparer.Ordinal);

    private IEnumerable<(string ContainerId, string Volume)> All()
    {
        foreach (string id in containers.ListIds())
        {
            ContainerConfig config;
            try
            {
                config = containers.ReadConfig(id);
            }
            catch (SkiffException)
            {
                // Being removed right now.
                continue;
            }

            foreach (ContainerMount mount in config.Mounts)
            {
                if (mount.Type == "volume" && mount.Name is not null)
                {
                    yield return (id, mount.Name);
                }
            }
        }
    }
}
