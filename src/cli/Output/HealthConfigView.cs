namespace Skiff.Cli.Output;

/// <summary>
/// podman's <c>manifest.Schema2HealthConfig</c> as inspect prints it (a container's <c>Config.Healthcheck</c>, an
/// image's <c>Healthcheck</c>): durations in nanoseconds, and zero durations and retries left out, as Go's omitempty does.
/// </summary>
public static class HealthConfigView
{
    public static TemplateObject Build(IReadOnlyList<string> test, long startPeriod, long interval, long timeout, long retries)
    {
        var value = new TemplateObject("*manifest.Schema2HealthConfig") { ["Test"] = test.Select(t => (object?)t).ToList() };
        foreach ((string name, long number) in new[] { ("StartPeriod", startPeriod), ("Interval", interval), ("Timeout", timeout), ("Retries", retries) })
        {
            if (number != 0)
            {
                value[name] = number;
            }
        }

        return value;
    }
}
