using System.CommandLine;
using Skiff.Runtime.Health;

namespace Skiff.Cli.Commands.Containers;

/// <summary>run/create's healthcheck flags (podman 4.3's), checked before anything is pulled or stored.</summary>
public sealed class HealthFlags
{
    public Option<string?> Cmd { get; } = new("--health-cmd") { Description = "Set a healthcheck command for the container ('none' disables the image's)" };

    public Option<string> Interval { get; } = new("--health-interval") { Description = "Time between running the check (\"disable\": no automatic timer)", DefaultValueFactory = _ => "30s" };

    public Option<int> Retries { get; } = new("--health-retries") { Description = "The number of retries allowed before a healthcheck is considered to be unhealthy", DefaultValueFactory = _ => HealthCheckConfig.DefaultRetries };

    public Option<string> StartPeriod { get; } = new("--health-start-period") { Description = "The initialization time needed for a container to bootstrap", DefaultValueFactory = _ => "0s" };

    public Option<string> Timeout { get; } = new("--health-timeout") { Description = "The maximum time allowed to complete the healthcheck before an interval is considered failed", DefaultValueFactory = _ => "30s" };

    public Option<string> OnFailure { get; } = new("--health-on-failure") { Description = "Action to take once the container turns unhealthy (none, kill, restart, stop)", DefaultValueFactory = _ => HealthOnFailure.None };

    public Option<bool> NoHealthcheck { get; } = new("--no-healthcheck") { Description = "Disable healthchecks on container" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Cmd, Interval, Retries, StartPeriod, Timeout, OnFailure, NoHealthcheck })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The flags as given, every value checked (an error names the flag as podman's does).</summary>
    public HealthRequest Request(ParseResult parse) => HealthRequest.Parse(
        parse.GetValue(Cmd),
        parse.GetValue(Interval) ?? "30s",
        parse.GetValue(Retries),
        parse.GetValue(StartPeriod) ?? "0s",
        parse.GetValue(Timeout) ?? "30s",
        parse.GetValue(OnFailure) ?? HealthOnFailure.None,
        parse.GetValue(NoHealthcheck));
}
