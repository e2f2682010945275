using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// cgroup v2 through systemd: systemd creates a delegated transient scope around the container's process,
/// then skiff writes the limits into the scope's own cgroup through <see cref="CgroupV2Manager"/>.
/// </summary>
public sealed class SystemdCgroupManager : ICgroupManager
{
    private readonly ISystemdScopeClient _client;
    private readonly string _mountPoint;
    private readonly string _slice;
    private readonly Func<int, string?> _cgroupOfProcess;
    private CgroupV2Manager? _files;

    /// <param name="client">The D-Bus client (a fake in tests).</param>
    /// <param name="mountPoint">The cgroup2 mount point.</param>
    /// <param name="slice">"user.slice" (rootless) or "machine.slice" (root), as podman uses.</param>
    /// <param name="cgroupOfProcess">Reads the "0::" path of a pid (from /proc/PID/cgroup by default).</param>
    public SystemdCgroupManager(ISystemdScopeClient client, string mountPoint, string slice, Func<int, string?>? cgroupOfProcess = null)
    {
        _client = client;
        _mountPoint = mountPoint;
        _slice = slice;
        _cgroupOfProcess = cgroupOfProcess ?? ReadProcCgroup;
    }

    /// <summary>The slice scopes go in: "user.slice" (rootless) or "machine.slice" (root).</summary>
    public string Slice => _slice;

    public string Name => "systemd";

    public int Version => 2;

    public static string UnitName(string containerId) => $"{Systemd.SystemdCgroupsPath.SkiffPrefix}-{containerId}.scope";

    public string Create(string containerId, CgroupResources resources, int pid) => CreateScope(UnitName(containerId), $"skiff container {containerId}", resources, pid);

    /// <summary>Starts the scope <paramref name="unitName"/> around <paramref name="pid"/>, then writes the limits
    /// into it; returns the scope's group as the kernel reports it for the pid.</summary>
    public string CreateScope(string unitName, string description, CgroupResources resources, int pid)
    {
        var request = new SystemdScopeRequest(unitName, _slice, pid, description);
        _client.StartScopeAsync(request).GetAwaiter().GetResult();
        string group = _cgroupOfProcess(pid)?.Trim('/')
            ?? throw SkiffException.Internal($"systemd started {request.UnitName} but process {pid} is in no cgroup");
        if (!group.EndsWith(request.UnitName, StringComparison.Ordinal))
        {
            _client.StopScopeAsync(request.UnitName).GetAwaiter().GetResult();
            throw SkiffException.Internal($"process {pid} is in {group}, not in the scope {request.UnitName} systemd created");
        }

        try
        {
            Files.ApplyTo(group, resources, creating: true);
            return group;
        }
        catch
        {
            TryRemoveAfterFailure(group);
            throw;
        }
    }

    public string Prepare(string containerId, CgroupResources resources) => throw SkiffException.PrerequisiteMissing(
        "the systemd cgroup manager places a running process into its scope; it cannot prepare an empty group",
        "use the cgroupfs manager for OCI runtime use");

    /// <summary>Where systemd will place the scope: in the slice, below the instance's own group.</summary>
    public string GroupFor(string containerId) => Files.GroupFor(UnitName(containerId));

    public void CheckEnforceable(CgroupResources resources) => Files.CheckEnforceable(resources);

    public void AddProcess(string group, int pid) => Files.AddProcess(group, pid);

    public void Update(string group, CgroupResources resources) => Files.Update(group, resources);

    public CgroupStats ReadStats(string group) => Files.ReadStats(group);

    public void Freeze(string group) => Files.Freeze(group);

    public void Thaw(string group) => Files.Thaw(group);

    public bool WasOomKilled(string group) => Files.WasOomKilled(group);

    public void Remove(string group)
    {
        string unit = Path.GetFileName(group);
        _client.StopScopeAsync(unit).GetAwaiter().GetResult();
        // systemd removes the scope's cgroup once it is empty; remove it ourselves if it is still there.
        Files.Remove(group);
    }

    /// <summary>
    /// The files of the slice's group. A systemd instance keeps its slices below its own group, which only
    /// it can say (a user's instance is in user@UID.service on a standard machine, elsewhere when started
    /// differently): asked once, when first needed.
    /// </summary>
    private CgroupV2Manager Files => _files ??= new CgroupV2Manager(
        _mountPoint,
        JoinGroups(_client.GetControlGroupAsync().GetAwaiter().GetResult(), _slice),
        "the controller is not delegated to your systemd user instance: see https://rootlesscontaine.rs/getting-started/common/cgroup2/");

    private static string JoinGroups(string managerGroup, string slice) =>
        managerGroup.Trim('/').Length == 0 ? slice : $"{managerGroup.Trim('/')}/{slice}";

    private static string? ReadProcCgroup(int pid) =>
        ProcCgroupEntry.ReadUnifiedPath(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/cgroup"));

    /// <summary>Cleanup after a failed create must not hide the error that caused it.</summary>
    private void TryRemoveAfterFailure(string group)
    {
        try
        {
            Remove(group);
        }
        catch (SkiffException)
        {
        }
    }
}
