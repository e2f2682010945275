using Skiff.Runtime.Health;

namespace Skiff.Tests.Unit.Health;

/// <summary>podman 4.3's status transitions (updateHealthCheckLog) and what health.json holds.</summary>
public class HealthStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 11, 10, 3, TimeSpan.Zero);

    private static HealthLogEntry Result(int code, string output = "", int second = 0) =>
        new(T0.AddSeconds(second), T0.AddSeconds(second).AddMilliseconds(400), code, output);

    [Fact]
    public void Failures_count_until_retries_then_the_container_is_unhealthy()
    {
        HealthState state = HealthState.None.Started();
        Assert.Equal(HealthStatus.Starting, state.Status);

        state = state.Record(Result(1), retries: 2, inStartPeriod: false);
        Assert.Equal((HealthStatus.Starting, 1), (state.Status, state.FailingStreak));

        state = state.Record(Result(1), retries: 2, inStartPeriod: false);
        Assert.Equal((HealthStatus.Unhealthy, 2), (state.Status, state.FailingStreak));

        state = state.Record(Result(1), retries: 2, inStartPeriod: false);
        Assert.Equal((HealthStatus.Unhealthy, 3), (state.Status, state.FailingStreak));
    }

    [Fact]
    public void A_success_makes_it_healthy_and_resets_the_streak()
    {
        HealthState state = HealthState.None.Started()
            .Record(Result(1), retries: 1, inStartPeriod: false)
            .Record(Result(0), retries: 1, inStartPeriod: false);

        Assert.Equal((HealthStatus.Healthy, 0), (state.Status, state.FailingStreak));
        state = state.Record(Result(7), retries: 3, inStartPeriod: false);
        Assert.Equal((HealthStatus.Healthy, 1), (state.Status, state.FailingStreak));
    }

    [Fact]
    public void Failures_in_the_start_period_are_logged_but_not_counted()
    {
        HealthState state = HealthState.None.Started()
            .Record(Result(1), retries: 1, inStartPeriod: true)
            .Record(Result(1), retries: 1, inStartPeriod: true);

        Assert.Equal((HealthStatus.Starting, 0, 2), (state.Status, state.FailingStreak, state.Log.Count));
        Assert.Equal(HealthStatus.Healthy, state.Record(Result(0), retries: 1, inStartPeriod: true).Status);
    }

    [Fact]
    public void A_failure_with_no_status_yet_reads_healthy_as_podman_does()
    {
        Assert.Equal(HealthStatus.Healthy, HealthState.None.Record(Result(1), retries: 3, inStartPeriod: false).Status);
    }

    [Fact]
    public void A_start_resets_status_and_streak_and_keeps_the_log()
    {
        HealthState state = HealthState.None.Started().Record(Result(1), retries: 1, inStartPeriod: false).Started();

        Assert.Equal((HealthStatus.Starting, 0, 1), (state.Status, state.FailingStreak, state.Log.Count));
    }

    [Fact]
    public void The_log_keeps_the_last_five_results_and_500_characters_of_output()
    {
        HealthState state = HealthState.None.Started();
        for (int i = 0; i < 7; i++)
        {
            state = state.Record(Result(i, new string('x', 600), second: i), retries: 3, inStartPeriod: false);
        }

        Assert.Equal([2, 3, 4, 5, 6], state.Log.Select(entry => entry.ExitCode));
        Assert.All(state.Log, entry => Assert.Equal(500, entry.Output.Length));
    }

    [Fact]
    public void Json_is_podmans_healthcheck_log_and_reads_back()
    {
        HealthState state = HealthState.None.Started().Record(Result(-1, "hello\nerr"), retries: 1, inStartPeriod: false);
        string json = System.Text.Encoding.UTF8.GetString(HealthStateJson.Write(state));

        Assert.StartsWith("{\"Status\":\"unhealthy\",\"FailingStreak\":1,\"Log\":[{\"Start\":\"2026-12-02T11:10:03+00:00\",", json, StringComparison.Ordinal);
        Assert.Contains("\"ExitCode\":-1,\"Output\":\"hello\\nerr\"}]}", json, StringComparison.Ordinal);
        HealthState read = HealthStateJson.Read(HealthStateJson.Write(state));
        Assert.Equal((state.Status, state.FailingStreak), (read.Status, read.FailingStreak));
        Assert.Equal(state.Log, read.Log);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    public void An_empty_record_reads_as_none(string json)
    {
        HealthState read = HealthStateJson.Read(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Equal((string.Empty, 0, 0), (read.Status, read.FailingStreak, read.Log.Count));
    }

    [Fact]
    public void The_store_updates_under_its_lock_and_reads_none_when_nothing_was_recorded()
    {
        string directory = Directory.CreateTempSubdirectory("skiff-health-").FullName;
        try
        {
            var store = new HealthStore(_ => directory);
            Assert.Same(HealthState.None, store.Read("c"));

            store.Update("c", state => state.Started());
            HealthState after = store.Update("c", state => state.Record(Result(0), retries: 3, inStartPeriod: false));

            Assert.Equal(HealthStatus.Healthy, store.Read("c").Status);
            Assert.Equal(after.Log, store.Read("c").Log);
            Assert.Equal(["health.json", "health.lock"], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "CMD-SHELL", "test -f /x" }, new[] { "/bin/sh", "-c", "test -f /x" }, true)]
    [InlineData(new[] { "CMD", "test", "-f", "/x" }, new[] { "test", "-f", "/x" }, true)]
    [InlineData(new[] { "NONE" }, new[] { "NONE" }, false)]
    [InlineData(new[] { "CMD" }, new string[0], false)]
    [InlineData(new string[0], new string[0], false)]
    public void The_test_becomes_the_command_run_in_the_container(string[] test, string[] command, bool enabled)
    {
        var config = new HealthCheckConfig { Test = test };
        Assert.Equal(enabled, config.Enabled);
        if (enabled)
        {
            Assert.Equal(command, config.Command);
        }
    }
}
