using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Seccomp;

/// <summary>A compiled filter, ready to be loaded on the thread that will call execve.</summary>
public sealed class SeccompFilter(BpfInstruction[] program, uint flags)
{
    private const uint FlagTsync = 1;
    private const uint FlagLog = 2;
    private const uint FlagSpecAllow = 4;

    public IReadOnlyList<BpfInstruction> Program => program;

    public static SeccompFilter Compile(SeccompSpec spec)
    {
        uint flags = 0;
        foreach (string flag in spec.Flags ?? [])
        {
            flags |= flag switch
            {
                "SECCOMP_FILTER_FLAG_TSYNC" => FlagTsync,
                "SECCOMP_FILTER_FLAG_LOG" => FlagLog,
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW" => FlagSpecAllow,
                _ => throw SkiffException.InvalidArgument($"unknown seccomp flag `{flag}`"),
            };
        }

        return new SeccompFilter(SeccompCompiler.Compile(spec), flags);
    }

    /// <summary>
    /// Loads the filter on the calling thread only: execve ends the runtime's other threads, and the
    /// container's process inherits the filter. Needs no_new_privs or CAP_SYS_ADMIN.
    /// </summary>
    public void Install()
    {
        int errno = Libc.InstallSeccompFilter(program, flags);
        if (errno != 0)
        {
            throw new SystemCallException("seccomp(SECCOMP_SET_MODE_FILTER)", null, errno);
        }
    }
}
