using Skiff.Runtime.Cgroups;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>A systemd stand-in: records calls and lets the test place the scope in its fake cgroup tree.</summary>
internal sealed class FakeSystemd(Action<SystemdScopeRequest> onStart, string controlGroup = "") : ISystemdScopeClient
{
    public List<string> Calls { get; } = [];

    public Task StartScopeAsync(SystemdScopeRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add($"start {request.UnitName} slice={request.Slice} pid={request.Pid} delegate={request.Delegate}");
        onStart(request);
        return Task.CompletedTask;
    }

    public Task<string> GetControlGroupAsync(CancellationToken cancellationToken = default) => Task.FromResult(controlGroup);

    public Task StopScopeAsync(string unitName, CancellationToken cancellationToken = default)
    {
        Calls.Add($"stop {unitName}");
        return Task.CompletedTask;
    }
}
