using System.Text.Json;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;
using Skiff.Runtime.Health;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// The healthcheck flags of a run/create, parsed as podman 4.3 does (makeHealthCheckFromCli): a JSON array is the
/// exec form (<c>["CMD", …]</c> unless it starts with CMD or CMD-SHELL; a one-element array is a shell command),
/// anything else a shell command (<c>CMD-SHELL</c>), <c>none</c> disables.
/// </summary>
public sealed record HealthRequest(HealthCheckConfig? FromFlags, bool Disabled, string OnFailure)
{
    public static HealthRequest Parse(string? command, string interval, int retries, string startPeriod, string timeout, string onFailure, bool noHealthcheck)
    {
        if (!HealthOnFailure.All.Contains(onFailure))
        {
            throw SkiffException.InvalidArgument(
                $"invalid on-failure action \"{onFailure}\" for health check: supported actions are {string.Join(',', HealthOnFailure.All)}",
                "use --health-on-failure none, kill, restart or stop");
        }

        long intervalNs = interval == "disable" ? 0 : Duration("healthcheck-interval", interval);
        if (intervalNs < 0)
        {
            throw SkiffException.InvalidArgument("healthcheck-interval must be 0 seconds or greater", "use e.g. --health-interval 30s, or disable");
        }

        if (retries < 1)
        {
            throw SkiffException.InvalidArgument("healthcheck-retries must be greater than 0", "use e.g. --health-retries 3");
        }

        long timeoutNs = Duration("healthcheck-timeout", timeout);
        if (timeoutNs < 1)
        {
            throw SkiffException.InvalidArgument("healthcheck-timeout must be at least 1 second", "use e.g. --health-timeout 30s");
        }

        long startPeriodNs = Duration("healthcheck-start-period", startPeriod);
        if (startPeriodNs < 0)
        {
            throw SkiffException.InvalidArgument("healthcheck-start-period must be 0 seconds or greater", "use e.g. --health-start-period 1m");
        }

        if (noHealthcheck)
        {
            return command is { Length: > 0 }
                ? throw SkiffException.InvalidArgument("cannot specify both --no-healthcheck and --health-cmd", "give one of them")
                : new HealthRequest(null, Disabled: true, onFailure);
        }

        if (command is not { Length: > 0 })
        {
            return new HealthRequest(null, Disabled: false, onFailure);
        }

        var config = new HealthCheckConfig
        {
            Test = Test(command),
            Interval = intervalNs,
            Timeout = timeoutNs,
            StartPeriod = startPeriodNs,
            Retries = retries,
            OnFailure = onFailure,
        };
        return new HealthRequest(config, Disabled: false, onFailure);
    }

    /// <summary>
    /// The container's healthcheck: the flags', else the image's (its zero durations and retries get the defaults, as podman
    /// fills them), else none. --no-healthcheck leaves podman's <c>{"Test": ["NONE"]}</c>.
    /// </summary>
    /// <exception cref="SkiffException">An on-failure action without a healthcheck to act on, refused as podman does.</exception>
    public HealthCheckConfig? Resolve(HealthConfig? image)
    {
        HealthCheckConfig? resolved = Merge(image);
        if (OnFailure != HealthOnFailure.None && resolved is not { Enabled: true })
        {
            throw SkiffException.InvalidArgument(
                $"cannot set on-failure action to {OnFailure} without a health check",
                "give --health-cmd too, or use an image with a HEALTHCHECK");
        }

        return resolved;
    }

    private HealthCheckConfig? Merge(HealthConfig? image)
    {
        if (Disabled)
        {
            return new HealthCheckConfig { Test = ["NONE"] };
        }

        if (FromFlags is not null)
        {
            return FromFlags;
        }

        if (image?.Test is not { Count: > 0 } test)
        {
            return null;
        }

        return new HealthCheckConfig
        {
            Test = test,
            Interval = image.Interval > 0 ? image.Interval : HealthCheckConfig.DefaultInterval,
            Timeout = image.Timeout > 0 ? image.Timeout : HealthCheckConfig.DefaultTimeout,
            StartPeriod = Math.Max(0, image.StartPeriod),
            Retries = image.Retries > 0 ? image.Retries : HealthCheckConfig.DefaultRetries,
            OnFailure = OnFailure,
        };
    }

    private static IReadOnlyList<string> Test(string command)
    {
        List<string>? array = JsonArray(command);
        if (array is { Count: 0 })
        {
            throw SkiffException.InvalidArgument("must define a healthcheck command for all healthchecks", "give --health-cmd a command");
        }

        if (array is null)
        {
            string[] split = command.Split(' ', 2);
            if (split[0] is "CMD-SHELL")
            {
                return split;
            }

            if (split[0] is "CMD" or "none")
            {
                string[] fields = command.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                return fields[0] == "none" ? ["NONE"] : fields;
            }

            return ["CMD-SHELL", command];
        }

        return array[0] switch
        {
            "CMD" or "CMD-SHELL" => array,
            "none" => ["NONE"],
            _ when array.Count > 1 => ["CMD", .. array],
            _ => ["CMD-SHELL", array[0]],
        };
    }

    /// <summary>The strings of a JSON array of strings; null when the text is not one.</summary>
    private static List<string>? JsonArray(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var items = new List<string>();
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String)
                {
                    return null;
                }

                items.Add(item.GetString()!);
            }

            return items;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long Duration(string name, string text) =>
        GoDuration.TryParse(text, out TimeSpan value)
            ? value.Ticks * 100
            : throw SkiffException.InvalidArgument($"invalid {name}: time: invalid duration \"{text}\"", "give a duration such as 30s, 1m30s or 500ms");
}
