using Skiff.Runtime.Cgroups;

namespace Skiff.Runtime.Containers;

/// <summary>A systemd scope the built-in runtime starts once the container's init exists.</summary>
internal sealed record ScopeToStart(string UnitName, string Description, CgroupResources Resources);
