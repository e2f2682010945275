using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Core.Processes;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// --oom-score-adj: the value the runtime writes to the container process's /proc/self/oom_score_adj. The kernel
/// lets any process raise its own, but lowering it below where it is needs CAP_SYS_RESOURCE in the host's user
/// namespace (proc(5)): rootless never has that, nor has root on hosts that drop it. Such a request is refused at
/// create, where runc fails only at start (podman 4.3: "can't get final child's PID from pipe", exit 126).
/// </summary>
public static class OomScoreAdjust
{
    /// <param name="rootless">skiff runs in a user namespace of its own, where no capability counts for the host.</param>
    /// <param name="current">The value the container would inherit (this process's).</param>
    /// <param name="canLower">Whether this process has CAP_SYS_RESOURCE.</param>
    public static int Parse(string text, bool rootless, int current, bool canLower)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) || value is < -1000 or > 1000)
        {
            throw SkiffException.InvalidArgument($"invalid value {text}, range for oom score adj is [-1000, 1000]", "give --oom-score-adj a number from -1000 to 1000");
        }

        if (value < current && (rootless || !canLower))
        {
            throw new SkiffException(
                ErrorKind.PermissionDenied,
                $"cannot set --oom-score-adj {value}: it is below the current value {current}, and lowering it needs CAP_SYS_RESOURCE{(rootless ? ", which a rootless container does not have" : string.Empty)}",
                $"give --oom-score-adj {current} or more");
        }

        return value;
    }

    /// <summary>This process's oom_score_adj (0 when it cannot be read).</summary>
    public static int Current()
    {
        try
        {
            return int.Parse(File.ReadAllText("/proc/self/oom_score_adj").Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>Whether this process has CAP_SYS_RESOURCE (24) in its effective set.</summary>
    public static bool CanLower() => ProcessStatus.CapabilityMask("CapEff") is ulong mask && (mask & (1UL << 24)) != 0;
}
