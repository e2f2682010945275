using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;
using Skiff.Runtime.Health;

namespace Skiff.Tests.Unit.Cli;

/// <summary>run/create's healthcheck flags as podman 4.3 reads them, and how they meet the image's HEALTHCHECK.</summary>
public class HealthRequestTests
{
    private static HealthRequest Parse(
        string? command, string interval = "30s", int retries = 3, string startPeriod = "0s", string timeout = "30s", string onFailure = "none", bool noHealthcheck = false) =>
        HealthRequest.Parse(command, interval, retries, startPeriod, timeout, onFailure, noHealthcheck);

    [Theory]
    [InlineData("test -f /tmp/ok", new[] { "CMD-SHELL", "test -f /tmp/ok" })]
    [InlineData("CMD-SHELL echo a b", new[] { "CMD-SHELL", "echo a b" })]
    [InlineData("CMD echo   a", new[] { "CMD", "echo", "a" })]
    [InlineData("none", new[] { "NONE" })]
    [InlineData("[\"sh\",\"-c\",\"exit 0\"]", new[] { "CMD", "sh", "-c", "exit 0" })]
    [InlineData("[\"echo\"]", new[] { "CMD-SHELL", "echo" })]
    [InlineData("[\"CMD-SHELL\",\"echo a b\"]", new[] { "CMD-SHELL", "echo a b" })]
    [InlineData("[\"CMD\",\"true\"]", new[] { "CMD", "true" })]
    [InlineData("[1, 2]", new[] { "CMD-SHELL", "[1, 2]" })]
    public void The_command_becomes_podmans_test(string command, string[] test)
    {
        Assert.Equal(test, Parse(command).FromFlags!.Test);
    }

    [Fact]
    public void Durations_are_nanoseconds_and_disable_means_no_timer()
    {
        HealthCheckConfig config = Parse("true", interval: "1m30s", retries: 2, startPeriod: "1.5s", timeout: "500ms", onFailure: "restart").FromFlags!;

        Assert.Equal((90_000_000_000L, 500_000_000L, 1_500_000_000L, 2, "restart"), (config.Interval, config.Timeout, config.StartPeriod, config.Retries, config.OnFailure));
        Assert.Equal(0, Parse("true", interval: "disable").FromFlags!.Interval);
        Assert.Equal(0, Parse("true", interval: "0").FromFlags!.Interval);
    }

    [Theory]
    [InlineData("--health-interval", "invalid healthcheck-interval: time: invalid duration \"5x\"")]
    [InlineData("--health-retries", "healthcheck-retries must be greater than 0")]
    [InlineData("--health-timeout", "healthcheck-timeout must be at least 1 second")]
    [InlineData("--health-start-period", "healthcheck-start-period must be 0 seconds or greater")]
    [InlineData("--health-on-failure", "invalid on-failure action \"bogus\" for health check: supported actions are none,kill,restart,stop")]
    [InlineData("--no-healthcheck", "cannot specify both --no-healthcheck and --health-cmd")]
    [InlineData("--health-cmd", "must define a healthcheck command for all healthchecks")]
    public void Bad_values_are_invalid_arguments_with_podmans_messages(string flag, string message)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => flag switch
        {
            "--health-interval" => Parse("true", interval: "5x"),
            "--health-retries" => Parse("true", retries: 0),
            "--health-timeout" => Parse("true", timeout: "0s"),
            "--health-start-period" => Parse("true", startPeriod: "-1s"),
            "--health-on-failure" => Parse(null, onFailure: "bogus"),
            "--no-healthcheck" => Parse("true", noHealthcheck: true),
            _ => Parse("[]"),
        });

        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
        Assert.NotNull(e.Hint);
    }

    private static readonly HealthConfig Image = new() { Test = ["CMD", "/healthy"], Interval = 5_000_000_000, Retries = 0 };

    [Fact]
    public void The_image_healthcheck_is_used_with_defaults_for_what_it_leaves_zero()
    {
        HealthCheckConfig config = Parse(null, onFailure: "stop").Resolve(Image)!;

        Assert.Equal(["CMD", "/healthy"], config.Test);
        Assert.Equal((5_000_000_000L, HealthCheckConfig.DefaultTimeout, 0L, HealthCheckConfig.DefaultRetries, "stop"), (config.Interval, config.Timeout, config.StartPeriod, config.Retries, config.OnFailure));
    }

    [Fact]
    public void Flags_replace_the_image_healthcheck_and_no_healthcheck_disables_it()
    {
        Assert.Equal(["CMD-SHELL", "true"], Parse("true").Resolve(Image)!.Test);
        Assert.Equal(["NONE"], Parse("none").Resolve(Image)!.Test);
        HealthCheckConfig disabled = Parse(null, noHealthcheck: true).Resolve(Image)!;
        Assert.Equal(["NONE"], disabled.Test);
        Assert.False(disabled.Enabled);
    }

    [Fact]
    public void An_on_failure_action_needs_a_healthcheck()
    {
        Assert.Equal("kill", Parse(null, onFailure: "kill").Resolve(Image)!.OnFailure);
        SkiffException e = Assert.Throws<SkiffException>(() => Parse(null, onFailure: "kill").Resolve(null));
        Assert.Equal("cannot set on-failure action to kill without a health check", e.Message);
        Assert.Throws<SkiffException>(() => Parse(null, onFailure: "stop", noHealthcheck: true).Resolve(Image));
        Assert.Throws<SkiffException>(() => Parse("none", onFailure: "restart").Resolve(null));
    }

    [Fact]
    public void Without_flags_or_an_image_healthcheck_there_is_none()
    {
        Assert.Null(Parse(null).Resolve(null));
        Assert.Null(Parse(null).Resolve(new HealthConfig()));
        Assert.Null(Parse(string.Empty).Resolve(null));
    }
}
