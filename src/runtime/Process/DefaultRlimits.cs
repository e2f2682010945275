using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Process;

/// <summary>
/// The open-file and process limits a container gets when <c>--ulimit</c> names neither, as podman gives them:
/// 1048576 soft and hard, or the caller's hard limit when that is lower (a limit is never raised past it:
/// that needs CAP_SYS_RESOURCE, which rootless skiff lacks and which runc's or skiff's init would need too).
/// Without them a container inherits the caller's soft limit, often 1024 open files, too few for a database.
/// </summary>
public static class DefaultRlimits
{
    public const ulong Default = 1048576;

    private static readonly string[] Defaulted = ["RLIMIT_NOFILE", "RLIMIT_NPROC"];

    /// <summary>The defaults for the limits <paramref name="given"/> does not set.</summary>
    public static IEnumerable<RlimitSpec> Missing(IReadOnlyList<RlimitSpec> given)
    {
        foreach (string type in Defaulted)
        {
            if (!given.Any(r => r.Type == type) && Rlimits.TryParse(type, out int resource))
            {
                ulong value = Math.Min(Default, InitProcessSettings.HardLimit(resource, type));
                yield return new RlimitSpec { Type = type, Soft = value, Hard = value };
            }
        }
    }
}
