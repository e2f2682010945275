using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Lifecycle;

/// <summary>pause and unpause: freezes or thaws every task of the container's cgroup and records the state.</summary>
public sealed class ContainerFreezer(ContainerLifecycle lifecycle, ContainerCgroups cgroups)
{
    public void Pause(string id)
    {
        ContainerConfig config = lifecycle.Store.ReadConfig(id);
        ContainerState state = lifecycle.Observe(id);
        if (state.Status == ContainerStatus.Paused)
        {
            throw SkiffException.Conflict($"\"{config.Name}\" is already paused: container state improper");
        }

        if (state.Status != ContainerStatus.Running)
        {
            throw SkiffException.Conflict($"\"{config.Name}\" is not running, can't pause: container state improper");
        }

        ICgroupManager manager = cgroups.ManagerFor(config.CgroupPath, config.Name, "pause");
        using (lifecycle.Store.Lock(id))
        {
            manager.Freeze(config.CgroupPath!);
            lifecycle.Store.WriteState(id, lifecycle.Store.ReadState(id) with { Status = ContainerStatus.Paused });
        }

        lifecycle.Store.RecordEvent(config, "pause");
    }

    public void Unpause(string id)
    {
        ContainerConfig config = lifecycle.Store.ReadConfig(id);
        ContainerState state = lifecycle.Observe(id);
        if (state.Status != ContainerStatus.Paused)
        {
            throw SkiffException.Conflict($"\"{config.Name}\" is not paused, can't unpause: container state improper");
        }

        ICgroupManager manager = cgroups.ManagerFor(config.CgroupPath, config.Name, "unpause");
        using (lifecycle.Store.Lock(id))
        {
            manager.Thaw(config.CgroupPath!);
            lifecycle.Store.WriteState(id, lifecycle.Store.ReadState(id) with { Status = ContainerStatus.Running });
        }

        lifecycle.Store.RecordEvent(config, "unpause");
    }
}
