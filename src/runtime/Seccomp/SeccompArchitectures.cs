using System.Runtime.InteropServices;

namespace Skiff.Runtime.Seccomp;

/// <summary>libseccomp's architecture names and the kernel's AUDIT_ARCH values (linux/audit.h) that seccomp_data.arch carries.</summary>
public static class SeccompArchitectures
{
    public const uint AuditArchX86_64 = 0xC000003E;
    public const uint AuditArchAarch64 = 0xC00000B7;

    public static string Native(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "SCMP_ARCH_X86_64",
        Architecture.Arm64 => "SCMP_ARCH_AARCH64",
        Architecture.X86 => "SCMP_ARCH_X86",
        Architecture.Arm => "SCMP_ARCH_ARM",
        _ => "SCMP_ARCH_" + architecture.ToString().ToUpperInvariant(),
    };

    /// <summary>AUDIT_ARCH of the architectures skiff compiles filters for; null otherwise.</summary>
    public static uint? Audit(Architecture architecture) => architecture switch
    {
        Architecture.X64 => AuditArchX86_64,
        Architecture.Arm64 => AuditArchAarch64,
        _ => null,
    };
}
