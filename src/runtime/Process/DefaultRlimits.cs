using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Process;

/// <summary>
/// The open-file and process limits a container gets when <c>--ulimit</c> names neither, as podman gives them:
/// 1048576 soft and hard, or the caller's hard limit when that is lower (a limit is never raised past it:
/// that needs CAP_SYS_RESOURCE, which rootless skiff lacks and which runc's or skiff's init would need too).
/// Without them a container inherits the caller's soft limit, often 1024 open files, too few for a database.
/// </summary>
public static unsafe class DefaultRlimits
{
    public const ulong Default = 1048576;

    private static readonly (string Type, int Resource)[] Defaulted = [("RLIMIT_NOFILE", 7), ("RLIMIT_NPROC", 6)];

    /// <summary>The defaults for the limits <paramref name="given"/> does not set.</summary>
    public static IEnumerable<RlimitSpec> Missing(IReadOnlyList<RlimitSpec> given)
    {
        foreach ((string type, int resource) in Defaulted)
        {
            if (!given.Any(r => r.Type == type))
            {
                ulong value = Math.Min(Default, CurrentHard(resource, type));
                yield return new RlimitSpec { Type = type, Soft = value, Hard = value };
            }
        }
    }

    private static ulong CurrentHard(int resource, string type)
    {
        Libc.Rlimit current;
        if (Libc.prlimit(0, resource, null, &current) != 0)
        {
            throw new SystemCallException("getrlimit", type, Marshal.GetLastPInvokeError());
        }

        return current.Max;
    }
}
