using System.Globalization;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>wait --condition STATE</c> (repeatable, comma-separated): the states podman 4.3 takes (<c>created</c>,
/// <c>initialized</c>, <c>running</c>, <c>paused</c>, <c>stopped</c>, <c>exited</c>, <c>removing</c>, <c>unknown</c>) and
/// those later podman adds (<c>configured</c>, <c>stopping</c>, <c>healthy</c>, <c>unhealthy</c>). Any one met ends the wait.
/// </summary>
public sealed class WaitConditions
{
    /// <summary>podman's default: the container's run ended.</summary>
    public static readonly WaitConditions Stopped = new(new HashSet<string>(StringComparer.Ordinal) { "stopped" });

    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "configured", "created", "initialized", "running", "paused", "stopping", "stopped", "exited", "removing", "unknown", "healthy", "unhealthy",
    };

    private readonly IReadOnlySet<string> states;

    private WaitConditions(IReadOnlySet<string> states) => this.states = states;

    /// <summary>Whether only the end of the run is waited for (then the exact end, past restarts, is the container's <c>Wait</c>).</summary>
    public bool EndOfRunOnly => states.All(s => s is "stopped" or "exited");

    /// <summary>Whether health records are needed to decide.</summary>
    public bool NeedsHealth => states.Contains("healthy") || states.Contains("unhealthy");

    /// <exception cref="SkiffException">InvalidArgument: a state podman does not know (case matters, as podman's).</exception>
    public static WaitConditions Parse(IEnumerable<string> values)
    {
        var states = new HashSet<string>(StringComparer.Ordinal);
        foreach (string state in values.SelectMany(v => v.Split(',')))
        {
            if (!Known.Contains(state))
            {
                throw SkiffException.InvalidArgument(
                    $"unknown container state: {state}: invalid argument",
                    "use created, configured, initialized, running, paused, stopping, stopped, exited, removing, healthy or unhealthy");
            }

            states.Add(state);
        }

        return states.Count == 0 ? Stopped : new WaitConditions(states);
    }

    /// <summary>podman's <c>--interval</c>: a Go duration, or a bare number of milliseconds.</summary>
    /// <exception cref="SkiffException">InvalidArgument: neither.</exception>
    public static TimeSpan ParseInterval(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            text += "ms";
        }

        if (!GoDuration.TryParse(text, out TimeSpan interval))
        {
            throw SkiffException.InvalidArgument($"time: invalid duration \"{text}\"", "give a duration such as 250ms, 2s or 1m");
        }

        // podman polls at once again for zero or less; a millisecond keeps that from spinning a CPU.
        return interval < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : interval;
    }

    /// <summary>
    /// The exit code to print once a condition is met, or null while none is: the container's code for an ended run,
    /// -1 for the other states (podman's "no exit code").
    /// </summary>
    /// <param name="health">The container's health status; empty without a healthcheck.</param>
    public int? Met(ContainerState state, string health)
    {
        bool ended = !state.Running && state.Status == ContainerStatus.Exited;
        if (ended && (states.Contains("stopped") || states.Contains("exited")))
        {
            return state.ExitCode;
        }

        bool met = states.Contains(state.Status)
            || (state.Status == ContainerStatus.Created && states.Contains("configured"))
            || (health.Length > 0 && states.Contains(health));
        return met ? -1 : null;
    }
}
