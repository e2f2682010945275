using Skiff.Runtime.Monitor;

namespace Skiff.Tests.Unit.Runtime;

public class RelayHandoverTests
{
    private static readonly RelayHandover Sample = new(
        "/var/lib/skiff", "/run/skiff", "abc123", 4242, 5, 6, 7, 8, -1, 9, [10, 11], "k8s-file", "/var/lib/skiff/containers/abc123/ctr.log", "/usr/local/bin/skiff");

    [Fact]
    public void Arguments_round_trip()
    {
        RelayHandover parsed = RelayHandover.Parse(Sample.ToArguments())!;

        Assert.Equal(Sample with { Clients = parsed.Clients }, parsed);
        Assert.Equal([10, 11], parsed.Clients);
    }

    [Fact]
    public void A_healthcheck_schedule_round_trips_and_is_optional()
    {
        RelayHandover withChecks = Sample with { HealthInterval = 1000, HealthDue = 123_456, HealthPid = 77, HealthPidFd = 12 };
        RelayHandover parsed = RelayHandover.Parse(withChecks.ToArguments())!;

        Assert.Equal((1000L, 123_456L, 77, 12), (parsed.HealthInterval, parsed.HealthDue, parsed.HealthPid, parsed.HealthPidFd));
        Assert.Equal(0, RelayHandover.Parse(Sample.ToArguments())!.HealthInterval);
        Assert.Null(RelayHandover.Parse(withChecks.ToArguments().Where(argument => !argument.StartsWith("health-due=", StringComparison.Ordinal))));
        Assert.Null(RelayHandover.Parse(Sample.ToArguments())!.HealthChecks(_ => null));
    }

    [Fact]
    public void The_logs_rotation_round_trips_and_is_optional()
    {
        RelayHandover rotated = Sample with { LogRotation = new Skiff.Runtime.Logs.LogRotation(1_000_000, 3) };

        Assert.Equal(new Skiff.Runtime.Logs.LogRotation(1_000_000, 3), RelayHandover.Parse(rotated.ToArguments())!.LogRotation);
        Assert.Equal(Skiff.Runtime.Logs.LogRotation.None, RelayHandover.Parse(Sample.ToArguments())!.LogRotation);
        Assert.DoesNotContain(Sample.ToArguments(), argument => argument.StartsWith("log-max", StringComparison.Ordinal));
        Assert.Null(RelayHandover.Parse(rotated.ToArguments().Where(argument => !argument.StartsWith("log-max-files=", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_timeout_deadline_round_trips_and_is_optional()
    {
        RelayHandover timed = Sample with { Deadline = 987_654_321 };

        Assert.Equal(987_654_321, RelayHandover.Parse(timed.ToArguments())!.Deadline);
        Assert.Equal(0, RelayHandover.Parse(Sample.ToArguments())!.Deadline);
        Assert.DoesNotContain(Sample.ToArguments(), argument => argument.StartsWith("deadline=", StringComparison.Ordinal));
        Assert.Null(RelayHandover.Parse([.. Sample.ToArguments(), "deadline=-5"]));
        Assert.Null(RelayHandover.Parse([.. Sample.ToArguments(), "deadline=soon"]));
    }

    [Fact]
    public void Paths_may_contain_equals_signs()
    {
        RelayHandover odd = Sample with { LogPath = "/data/a=b/ctr.log", Clients = [] };

        Assert.Equal("/data/a=b/ctr.log", RelayHandover.Parse(odd.ToArguments())!.LogPath);
    }

    [Theory]
    [InlineData("pid=0")]
    [InlineData("pidfd=-1")]
    [InlineData("stdout=x")]
    [InlineData("client=-1")]
    [InlineData("noequals")]
    public void Rejects_malformed_or_missing_values(string replacement)
    {
        string key = replacement.Split('=')[0];
        List<string> arguments = [.. Sample.ToArguments().Where(argument => !argument.StartsWith(key + "=", StringComparison.Ordinal)), replacement];

        Assert.Null(RelayHandover.Parse(arguments));
    }

    [Fact]
    public void Rejects_a_missing_key()
    {
        Assert.Null(RelayHandover.Parse(Sample.ToArguments().Where(argument => !argument.StartsWith("log-path=", StringComparison.Ordinal))));
    }
}
