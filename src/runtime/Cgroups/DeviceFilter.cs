using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// cgroup v2's devices controller: the rules compiled by <see cref="DeviceFilterProgram"/> (with the defaults every runtime
/// allows appended, as on v1) loaded and attached to the group with BPF_F_ALLOW_MULTI, as runc and crun do. The kernel
/// keeps the program while it is attached, so no descriptor outlives this call. Root only (CAP_SYS_ADMIN and CAP_BPF).
/// </summary>
public static class DeviceFilter
{
    private static readonly byte[] License = "Apache\0"u8.ToArray();

    public static unsafe void Attach(string groupDirectory, IReadOnlyList<DeviceRule> rules)
    {
        byte[] program = DeviceFilterProgram.Compile([.. rules, .. DeviceRule.Defaults]);
        byte[] log = new byte[64 * 1024];
        int programFd;
        fixed (byte* insns = program, license = License, logBuffer = log)
        {
            var load = new Libc.BpfProgLoadAttr
            {
                ProgType = Libc.BPF_PROG_TYPE_CGROUP_DEVICE,
                InsnCount = (uint)(program.Length / 8),
                Insns = (ulong)insns,
                License = (ulong)license,
                LogLevel = 1,
                LogSize = (uint)log.Length,
                LogBuffer = (ulong)logBuffer,
            };
            programFd = Libc.bpf_prog_load(&load);
        }

        if (programFd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            string verifier = System.Text.Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).Trim();
            throw new SystemCallException("bpf(BPF_PROG_LOAD) of the device filter for", groupDirectory, errno,
                verifier.Length > 0 ? "the kernel's verifier said: " + verifier : "the kernel needs CONFIG_CGROUP_BPF, and root (CAP_BPF, CAP_SYS_ADMIN)");
        }

        using var programHandle = new SafeFileHandle(programFd, ownsHandle: true);
        using SafeFileHandle group = OpenDirectory(groupDirectory);
        var attach = new Libc.BpfProgAttachAttr
        {
            TargetFd = (uint)group.DangerousGetHandle(),
            AttachBpfFd = (uint)programHandle.DangerousGetHandle(),
            AttachType = Libc.BPF_CGROUP_DEVICE,
            AttachFlags = Libc.BPF_F_ALLOW_MULTI,
        };
        if (Libc.bpf_prog_attach(&attach) != 0)
        {
            throw new SystemCallException("bpf(BPF_PROG_ATTACH) of the device filter to", groupDirectory, Marshal.GetLastPInvokeError());
        }
    }

    private static SafeFileHandle OpenDirectory(string path)
    {
        int fd = Libc.open(path, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : throw new SystemCallException("open", path, Marshal.GetLastPInvokeError());
    }
}
