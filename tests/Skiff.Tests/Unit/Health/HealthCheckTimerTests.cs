using Skiff.Runtime.Health;
using Skiff.Runtime.Monitor;

namespace Skiff.Tests.Unit.Health;

public class HealthCheckTimerTests
{
    [Fact]
    public void The_first_check_is_due_an_interval_after_the_start_and_the_next_an_interval_after_it_ended()
    {
        var timer = new HealthCheckTimer(1000, dueAt: 11_000);

        Assert.Equal(1000, timer.WaitMilliseconds(10_000));
        Assert.False(timer.TryStart(10_999));
        Assert.True(timer.TryStart(11_000));

        // One at a time: nothing is due while it runs, however long it takes.
        Assert.Equal(-1, timer.WaitMilliseconds(20_000));
        Assert.False(timer.TryStart(20_000));

        timer.Ended(20_000);
        Assert.Equal(1000, timer.WaitMilliseconds(20_000));
        Assert.Equal(0, timer.WaitMilliseconds(25_000));
        Assert.True(timer.TryStart(25_000));
    }

    [Fact]
    public void A_timer_handed_over_with_a_check_running_waits_for_it()
    {
        var timer = new HealthCheckTimer(30_000, dueAt: 0, running: true);

        Assert.Equal(-1, timer.WaitMilliseconds(5));
        Assert.False(timer.TryStart(5));
    }

    [Fact]
    public void Only_an_enabled_check_with_an_interval_is_scheduled()
    {
        var command = new HealthCheckCommand("/usr/bin/skiff", "/var/lib/skiff", "/run/skiff", "abc");
        var check = new HealthCheckConfig { Test = ["CMD-SHELL", "true"], Interval = 2_000_000_000 };

        HealthCheckSchedule schedule = HealthCheckSchedule.For(check, command, startedAt: 500)!;
        Assert.Equal((2000, 2500), (schedule.Timer.IntervalMilliseconds, schedule.Timer.DueAt));
        Assert.Null(HealthCheckSchedule.For(check with { Interval = 0 }, command, 500));
        Assert.Null(HealthCheckSchedule.For(check with { Test = ["NONE"] }, command, 500));
        Assert.Null(HealthCheckSchedule.For(null, command, 500));
    }

    [Fact]
    public void The_scheduled_command_is_healthcheck_run_on_the_same_store()
    {
        var command = new HealthCheckCommand("/usr/bin/skiff", "/var/lib/skiff", "/run/skiff", "abc");

        Assert.Equal(["--root", "/var/lib/skiff", "--runroot", "/run/skiff", "healthcheck", "run", "abc"], command.Arguments());
    }
}
