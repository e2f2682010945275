using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Native;
using Skiff.Runtime.Process;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The container's init, running inside the namespaces the entry stage created: receives the spec,
/// builds the root, reports ready (or the failure with its errno), waits on the exec fifo for
/// `start`, then becomes the container's process.
/// </summary>
public sealed class ContainerInit(IMountSyscalls sys)
{
    /// <summary>The sync socket (entry-stage protocol, then <see cref="InitChannel"/>).</summary>
    public const int SyncFd = 3;

    /// <summary>An O_PATH descriptor of the container's state directory, for the exec fifo.</summary>
    public const int StateDirectoryFd = 4;

    /// <summary>The caller's --console-socket, connected, when process.terminal is set.</summary>
    public const int ConsoleSocketFd = 5;

    /// <summary>Returns only on a setup failure (already reported to `create`); otherwise execs.</summary>
    public int Run()
    {
        RuntimeSpec spec;
        string executable;
        SeccompFilter? seccomp;
        // run --preserve-fds N: the process keeps 3 to 2+N, and this init's own descriptors sit N higher.
        int preserved = ExecInit.PreservedFds();
        using (var socket = new SafeFileHandle(SyncFd + preserved, ownsHandle: true))
        {
            var channel = new InitChannel(socket);
            try
            {
                spec = channel.ReceiveSpec();
                InitProcessSettings.HideFromContainer();
                LinuxSpec linux = spec.Linux ?? new LinuxSpec();
                if (LoopbackInterface.NewNamespaceIn(linux))
                {
                    LoopbackInterface.BringUp();
                }

                // Device nodes cannot be created in any user namespace but the initial one: neither a new
                // one from the spec nor the one skiff already runs in rootless (uid_map not the identity).
                bool userNamespace = linux.Namespaces.Any(n => n.Type == "user") || UserNamespaceProbe.InsideNonInitial();
                new RootfsBuilder(sys).Build(spec, spec.Root!.Path, userNamespace);
                if (!string.IsNullOrEmpty(spec.Hostname))
                {
                    InitProcessSettings.SetHostname(spec.Hostname);
                }

                InitProcessSettings.ApplyRlimits(spec.Process!.Rlimits ?? []);

                if (spec.Process.Terminal)
                {
                    string terminal = ConsoleSetup.Attach(ConsoleSocketFd + preserved, spec.Process.ConsoleSize);
                    new RootfsBuilder(sys).BindConsole(spec, terminal);
                }
                else
                {
                    InitProcessSettings.NewSession();
                }

                executable = ExecutableLookup.Resolve(spec.Process.Args[0], spec.Process.Env);
                seccomp = linux.Seccomp is { } filter ? SeccompFilter.Compile(filter) : null;

                // After the filter is compiled for this machine (LINUX32 makes uname report i686, which the compiler
                // would take as the architecture) and before it is loaded.
                if (linux.Personality is { } personality)
                {
                    InitProcessSettings.SetPersonality(personality);
                }

                channel.SendReady();
            }
            catch (Exception e)
            {
                (int errno, ErrorKind kind) = e switch
                {
                    ExecFailedException exec => (exec.Errno, exec.Kind),
                    SystemCallException call => (call.Errno, call.Kind),
                    SkiffException skiff => (0, skiff.Kind),
                    _ => (0, ErrorKind.Internal),
                };
                channel.SendFailure(errno, kind, e.Message);
                return 1;
            }
        }

        try
        {
            ExecFifo.Signal(StateDirectoryFd + preserved);
        }
        catch (SkiffException e)
        {
            ContainerExec.Die($"skiff: waiting for start: {e.Message}", 125);
        }

        if (spec.Linux is { CgroupsPath: not null } ownGroup && ownGroup.Namespaces.Any(n => n.Type == "cgroup" && n.Path is null))
        {
            try
            {
                InitProcessSettings.RootCgroupNamespaceHere();
            }
            catch (SystemCallException e)
            {
                ContainerExec.Die($"skiff: {e.Message}", 125);
            }
        }

        Libc.close(StateDirectoryFd + preserved);
        ContainerExec.Exec(spec.Process!, executable, seccomp, Lifecycle.KeepGroups.Requested(spec.Annotations), preserved);
        return 125;
    }
}
