using Skiff.Rootless.Storage;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

namespace Skiff.Tests.Unit.Runtime;

/// <summary>
/// How a monitor is started through <see cref="MonitorLauncher.StartProcess"/>, the seam a rootless command outside
/// skiff's user namespace uses to start its monitors inside (<see cref="UserNamespaceSpawner"/>).
/// </summary>
public sealed class MonitorLauncherTests : IDisposable
{
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private readonly string root = Directory.CreateTempSubdirectory("skiff-monitor-launcher-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void The_monitor_goes_through_StartProcess_with_no_descriptor_where_the_namespace_entry_stage_puts_its_socket(bool attached, bool callerStdio)
    {
        var store = new ContainerStore(Path.Combine(root, "root"), Path.Combine(root, "run"));
        Directory.CreateDirectory(store.Directory(Id));
        SpawnRequest? started = null;
        var launcher = new MonitorLauncher("/usr/bin/skiff", Path.Combine(root, "root"), Path.Combine(root, "run"), store)
        {
            StartProcess = request =>
            {
                started = request;
                // The monitor's report on its sync socket: the container runs.
                (System.Runtime.InteropServices.SafeHandle sync, _) = request.Descriptors.Single(d => d.Target == MonitorLauncher.SyncFd);
                Assert.True(UnixSockets.Send(sync, MonitorReport.Ok()));
                return 4242;
            },
        };
        (Microsoft.Win32.SafeHandles.SafeFileHandle ours, Microsoft.Win32.SafeHandles.SafeFileHandle theirs) = UnixSockets.SeqPacketPair();
        using (ours)
        using (theirs)
        {
            int pid = launcher.Start(Id, attached ? theirs : null, callerStdio: callerStdio);

            Assert.Equal(4242, pid);
        }

        Assert.NotNull(started);
        Assert.Equal(MonitorEntry.Verb, started.Arguments[0]);
        Assert.True(started.NewSession);
        Assert.Equal(attached, started.Descriptors.Any(d => d.Target == MonitorLauncher.AttachFd));
        Assert.All(started.Descriptors, d => Assert.True(d.Target < UserNamespaceSpawner.SyncFd, $"fd {d.Target} is the entry stage's"));
        Assert.DoesNotContain(started.Environment.Keys, name => name.StartsWith("_SKIFF_NS_", StringComparison.Ordinal));
    }
}
