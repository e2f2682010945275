using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// skiff update: changes a container's cgroup limits, live when it runs, and records them (config and
/// bundle) so the next start applies them too.
/// </summary>
public sealed class ContainerUpdater(ContainerLifecycle lifecycle, ContainerCgroups cgroups)
{
    public void Update(string id, CgroupResources changes)
    {
        if (changes.IsEmpty)
        {
            throw SkiffException.InvalidArgument("you must provide at least one limit to update", "e.g. skiff update --memory 64m CONTAINER");
        }

        using (lifecycle.Store.Lock(id))
        {
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            CgroupResources merged = config.Resources.With(changes);
            if (merged.Memory is not null && merged.MemorySwap is { } swap && swap != -1 && swap < merged.Memory)
            {
                throw SkiffException.InvalidArgument(
                    "memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time",
                    "give --memory-swap as well (memory plus swap), or -1 for unlimited swap");
            }

            if (merged.Memory is not null && merged.MemoryReservation > merged.Memory)
            {
                throw SkiffException.InvalidArgument(
                    "minimum memory limit can not be less than memory reservation limit, see usage",
                    "give --memory-reservation a size at most --memory's");
            }

            ICgroupManager manager = cgroups.ManagerFor(config.CgroupPath, config.Name, "update");
            manager.CheckEnforceable(changes);
            ContainerState state = lifecycle.Store.ReadState(id);
            if (state.Running && StateObserver.ContainerAlive(state))
            {
                manager.Update(config.CgroupPath!, changes);
            }

            ContainerConfig updated = config with { Resources = merged };
            lifecycle.Store.WriteConfig(updated);
            new BundleWriter(lifecycle.Store).WriteResources(updated);
        }
    }
}
