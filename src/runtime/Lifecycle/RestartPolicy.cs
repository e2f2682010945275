using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// <c>--restart no|on-failure[:MAX]|always|unless-stopped</c>, as podman 4.3 reads and applies it: when the container's
/// process ends by itself it is started again right away (podman waits for nothing between restarts), unless the user
/// stopped it; <c>on-failure</c> only after a non-zero code and at most MAX times (0: no limit); <c>unless-stopped</c>
/// behaves as <c>always</c> (they differ only at boot, which skiff leaves to a service, see README).
/// </summary>
public static class RestartPolicy
{
    public const string No = "no";

    public const string OnFailure = "on-failure";

    public const string Always = "always";

    public const string UnlessStopped = "unless-stopped";

    /// <summary>The policy's name ("" when not given, as podman shows it) and its retry count, podman's messages for anything else.</summary>
    public static (string Name, int MaximumRetryCount) Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (string.Empty, 0);
        }

        string[] parts = value.Split(':');
        if (parts.Length > 2)
        {
            throw SkiffException.InvalidArgument("invalid restart policy: may specify retries at most once");
        }

        int retries = 0;
        if (parts.Length == 2)
        {
            if (!parts[0].Equals(OnFailure, StringComparison.OrdinalIgnoreCase))
            {
                throw SkiffException.InvalidArgument("restart policy retries can only be specified with on-failure restart policy");
            }

            if (!int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out retries))
            {
                throw SkiffException.InvalidArgument($"parsing restart policy retry count: strconv.Atoi: parsing \"{parts[1]}\": invalid syntax");
            }

            if (retries < 0)
            {
                throw SkiffException.InvalidArgument("must specify restart policy retry count as a number greater than 0");
            }
        }

        if (parts[0] is not (No or OnFailure or Always or UnlessStopped))
        {
            throw SkiffException.InvalidArgument(
                $"\"{parts[0]}\" is not a valid restart policy",
                "use no, on-failure[:MAX], always or unless-stopped");
        }

        return (parts[0], retries);
    }

    /// <summary>
    /// podman refuses <c>--rm</c> with a policy unless the flag's text is "", "no" or "on-failure" (so <c>on-failure:3</c> is
    /// refused and a bare <c>on-failure</c> allowed: an --rm container is gone when it ends and never restarts).
    /// </summary>
    public static void CheckAutoRemove(string? value, bool autoRemove)
    {
        if (autoRemove && value is not (null or "" or No or OnFailure))
        {
            throw SkiffException.InvalidArgument("the --rm option conflicts with --restart, when the restartPolicy is not \"\" and \"no\"");
        }
    }

    /// <summary>Whether a container with this policy may ever be started again by it (stop and kill then record that the user stopped it).</summary>
    public static bool Restarts(string? name) => name is OnFailure or Always or UnlessStopped;

    /// <summary>Whether a run that ended with <paramref name="exitCode"/>, after <paramref name="restartCount"/> restarts, is started again.</summary>
    public static bool ShouldRestart(string? name, int maximumRetryCount, int exitCode, int restartCount) => name switch
    {
        Always or UnlessStopped => true,
        OnFailure => exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount),
        _ => false,
    };
}
