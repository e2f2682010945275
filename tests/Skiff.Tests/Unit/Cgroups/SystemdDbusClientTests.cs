using System.Net.Sockets;
using Skiff.Core.Errors;
using Skiff.Core.Users;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Cgroups.Systemd;

namespace Skiff.Tests.Unit.Cgroups;

/// <summary>
/// The real D-Bus client against a real dbus-daemon with a fake systemd on it: this machine has no systemd,
/// so the wire format, the job wait and the errors are checked against a peer that speaks the same protocol.
/// </summary>
public sealed class SystemdDbusClientTests : IDisposable
{
    private static readonly SystemdScopeRequest Request = new("skiff-0123abcd.scope", "user.slice", 4242, "skiff container 0123abcd");

    private readonly PrivateDbusDaemon _bus = PrivateDbusDaemon.Start();

    public void Dispose() => _bus.Dispose();

    [Fact]
    public async Task Start_sends_the_transient_scope_systemd_expects_and_waits_for_its_job()
    {
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        using var client = Client();

        await client.StartScopeAsync(Request);
        List<string> afterReturn = [.. systemd.Events];

        (string name, string mode, List<string> properties, int auxiliary) = Assert.Single(systemd.Starts);
        Assert.Equal("skiff-0123abcd.scope", name);
        Assert.Equal("fail", mode);
        Assert.Equal(
            [
                "Description:s=skiff container 0123abcd",
                "Slice:s=user.slice",
                "Delegate:b=true",
                "DefaultDependencies:b=false",
                "PIDs:au=4242",
            ],
            properties);
        Assert.Equal(0, auxiliary);
        // Subscribed first; returned only once systemd announced the job's end.
        Assert.Equal(
            [
                "call Subscribe ()",
                "call StartTransientUnit (ssa(sv)a(sa(sv)))",
                "reply /org/freedesktop/systemd1/job/1",
                "signal JobRemoved /org/freedesktop/systemd1/job/1 done",
            ],
            afterReturn);
    }

    [Fact]
    public async Task A_job_that_ends_before_the_reply_arrives_is_not_missed()
    {
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        systemd.SignalBeforeReply = true;
        using var client = Client();

        await client.StartScopeAsync(Request);

        Assert.Equal("signal JobRemoved /org/freedesktop/systemd1/job/1 done", systemd.Events[^2]);
    }

    [Fact]
    public async Task A_failed_job_is_a_clear_error()
    {
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        systemd.StartResult = "failed";
        using var client = Client();

        SkiffException error = await Assert.ThrowsAsync<SkiffException>(() => client.StartScopeAsync(Request));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("could not start skiff-0123abcd.scope", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"failed\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("--cgroup-manager=cgroupfs", error.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_that_exists_already_is_a_conflict()
    {
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        systemd.StartError = "org.freedesktop.systemd1.UnitExists";
        using var client = Client();

        SkiffException error = await Assert.ThrowsAsync<SkiffException>(() => client.StartScopeAsync(Request));

        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Contains("cannot start skiff-0123abcd.scope: systemd already has a unit of that name", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Hint);
    }

    [Fact]
    public async Task Stop_waits_for_the_job_and_a_missing_unit_is_fine()
    {
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        using var client = Client();
        await client.StartScopeAsync(Request);

        await client.StopScopeAsync(Request.UnitName);
        await client.StopScopeAsync(Request.UnitName);

        Assert.Equal(
            [
                "call StopUnit (ss)",
                "stop skiff-0123abcd.scope replace",
                "reply /org/freedesktop/systemd1/job/2",
                "signal JobRemoved /org/freedesktop/systemd1/job/2 done",
                "call StopUnit (ss)",
                "reply error NoSuchUnit",
            ],
            systemd.Events.Skip(4));
    }

    [Fact]
    public async Task A_disposed_client_connects_again_to_stop_the_scope()
    {
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        var client = Client();
        await client.StartScopeAsync(Request);
        client.Dispose();

        await client.StopScopeAsync(Request.UnitName);
        client.Dispose();

        Assert.Equal("signal JobRemoved /org/freedesktop/systemd1/job/2 done", systemd.Events[^1]);
        Assert.Equal(2, systemd.Events.Count(e => e == "call Subscribe ()"));
    }

    [Fact]
    public async Task A_job_that_never_ends_times_out()
    {
        using FakeSystemdService systemd = await FakeSystemdService.RegisterAsync(_bus.Address);
        systemd.EmitJobRemoved = false;
        using var client = Client(TimeSpan.FromSeconds(1));

        SkiffException error = await Assert.ThrowsAsync<SkiffException>(() => client.StartScopeAsync(Request));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("systemd did not answer", error.Message, StringComparison.Ordinal);
        Assert.Contains("job /org/freedesktop/systemd1/job/1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bus_without_systemd_is_a_clear_error()
    {
        using var client = Client();

        SkiffException error = await Assert.ThrowsAsync<SkiffException>(() => client.StartScopeAsync(Request));

        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.True(error.Message.Contains("no systemd answers on unix:path=", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task A_socket_that_never_answers_times_out()
    {
        string directory = Directory.CreateTempSubdirectory("skiff-deadbus-").FullName;
        try
        {
            string path = Path.Combine(directory, "bus");
            using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            silent.Bind(new UnixDomainSocketEndPoint(path));
            silent.Listen();
            using var client = new SystemdDbusClient("unix:path=" + path, CurrentUser.Detect().Uid, TimeSpan.FromSeconds(1));

            SkiffException error = await Assert.ThrowsAsync<SkiffException>(() => client.StartScopeAsync(Request));

            Assert.Equal(ErrorKind.Unavailable, error.Kind);
            Assert.Contains($"systemd did not answer on unix:path={path} within 1 s (the connection)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private SystemdDbusClient Client(TimeSpan? timeout = null) => new(_bus.Address, CurrentUser.Detect().Uid, timeout ?? TimeSpan.FromSeconds(20));
}
