using Microsoft.Win32.SafeHandles;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Containers;
using Skiff.Runtime.Namespaces;

namespace Skiff.Tests.Unit.Runtime;

public class PreparedInitTests
{
    private const NamespaceKinds Usual = NamespaceKinds.Pid | NamespaceKinds.Ipc | NamespaceKinds.Uts | NamespaceKinds.Mount;

    /// <summary>A prepared init that is not a real process: only <see cref="PreparedInit.Serves"/> is used (never disposed).</summary>
    private static PreparedInit Prepared(NamespaceRequest request) =>
        new(new NamespacedProcess(int.MaxValue, int.MaxValue, new SafeFileHandle(-1, ownsHandle: false)), request);

    [Fact]
    public void Serves_the_same_namespaces_and_one_more_cgroup_namespace()
    {
        PreparedInit prepared = Prepared(new NamespaceRequest(Usual | NamespaceKinds.Network));

        Assert.True(prepared.Serves(new NamespaceRequest(Usual | NamespaceKinds.Network)));
        Assert.True(prepared.Serves(new NamespaceRequest(Usual | NamespaceKinds.Network | NamespaceKinds.Cgroup)));
    }

    [Fact]
    public void Does_not_serve_other_namespaces()
    {
        PreparedInit prepared = Prepared(new NamespaceRequest(Usual | NamespaceKinds.Network));

        Assert.False(prepared.Serves(new NamespaceRequest(Usual)));
        Assert.False(prepared.Serves(new NamespaceRequest(Usual | NamespaceKinds.Network) { KeepIds = true }));
        Assert.False(prepared.Serves(new NamespaceRequest(Usual, JoinPid: 1, Join: NamespaceKinds.Network)));
        Assert.False(prepared.Serves(new NamespaceRequest(Usual) { JoinPaths = new Dictionary<NamespaceKinds, string> { [NamespaceKinds.Network] = "/proc/self/ns/net" } }));
    }

    [Fact]
    public void Never_serves_a_user_namespace_whose_maps_only_the_spec_knows()
    {
        PreparedInit prepared = Prepared(new NamespaceRequest(Usual | NamespaceKinds.Network));
        var maps = new IdMap([new IdMapping(0, 100000, 65536)], [new IdMapping(0, 100000, 65536)]);

        Assert.False(prepared.Serves(new NamespaceRequest(Usual | NamespaceKinds.Network | NamespaceKinds.User, Maps: maps)));
    }

    [Fact]
    public void A_joined_namespace_is_compared_by_identity_not_by_path()
    {
        PreparedInit prepared = Prepared(new NamespaceRequest(Usual) { JoinPaths = new Dictionary<NamespaceKinds, string> { [NamespaceKinds.Network] = "/proc/self/ns/net" } });
        string sameNamespace = $"/proc/{Environment.ProcessId}/ns/net";

        Assert.True(prepared.Serves(new NamespaceRequest(Usual) { JoinPaths = new Dictionary<NamespaceKinds, string> { [NamespaceKinds.Network] = sameNamespace } }));
        Assert.False(prepared.Serves(new NamespaceRequest(Usual) { JoinPaths = new Dictionary<NamespaceKinds, string> { [NamespaceKinds.Network] = "/proc/self/ns/uts" } }));
        Assert.False(prepared.Serves(new NamespaceRequest(Usual) { JoinPaths = new Dictionary<NamespaceKinds, string> { [NamespaceKinds.Network] = "/nonexistent/netns" } }));
    }
}
