using Skiff.Core.Errors;

namespace Skiff.Runtime.Seccomp;

/// <summary>OCI action names to the filter's return values (SECCOMP_RET_*, linux/seccomp.h).</summary>
public static class SeccompActions
{
    public const uint KillProcess = 0x80000000;
    public const uint KillThread = 0x00000000;
    public const uint Trap = 0x00030000;
    public const uint Errno = 0x00050000;
    public const uint Trace = 0x7ff00000;
    public const uint Log = 0x7ffc0000;
    public const uint Allow = 0x7fff0000;

    private const uint EPERM = 1;

    /// <param name="errnoRet">The errno for ERRNO (EPERM when unset, as runc and crun) or the TRACE message.</param>
    public static uint ReturnValue(string action, uint? errnoRet) => action switch
    {
        "SCMP_ACT_ALLOW" => Allow,
        "SCMP_ACT_ERRNO" => Errno | ((errnoRet ?? EPERM) & 0xffff),
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => KillThread,
        "SCMP_ACT_KILL_PROCESS" => KillProcess,
        "SCMP_ACT_TRAP" => Trap,
        "SCMP_ACT_TRACE" => Trace | ((errnoRet ?? EPERM) & 0xffff),
        "SCMP_ACT_LOG" => Log,
        "SCMP_ACT_NOTIFY" => throw SkiffException.InvalidArgument("seccomp action SCMP_ACT_NOTIFY needs a listener: skiff's runtime does not support it"),
        _ => throw SkiffException.InvalidArgument($"unknown seccomp action `{action}`"),
    };
}
