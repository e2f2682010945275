using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Process;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The process `exec` starts inside a running container's namespaces (joined by the entry stage, so its
/// root is already the container's): receives the process spec, changes to its working directory
/// (resolved inside the root), takes a terminal if asked, reports ready, then becomes the process with
/// the container's capabilities, no_new_privs and seccomp filter.
/// </summary>
public sealed class ExecInit(IMountSyscalls sys)
{
    /// <summary>
    /// How many descriptors from 3 up the process keeps (exec and run --preserve-fds N); the sync socket, the state
    /// directory and the console socket then sit N higher than <see cref="ContainerInit"/>'s constants. Read by both inits.
    /// </summary>
    public const string PreservedFdsVariable = "_SKIFF_EXEC_PRESERVE_FDS";

    /// <summary>The <see cref="PreservedFdsVariable"/> this process was started with; 0 without.</summary>
    public static int PreservedFds() =>
        int.TryParse(Environment.GetEnvironmentVariable(PreservedFdsVariable), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count) ? count : 0;

    public int Run()
    {
        RuntimeSpec spec;
        string executable;
        SeccompFilter? seccomp;
        int preserved = PreservedFds();
        using (var socket = new SafeFileHandle(ContainerInit.SyncFd + preserved, ownsHandle: true))
        {
            var channel = new InitChannel(socket);
            try
            {
                spec = channel.ReceiveSpec();
                InitProcessSettings.HideFromContainer();
                ProcessSpec process = spec.Process!;
                ChangeToWorkingDirectory(process.Cwd);
                // The container's limits, as runc's exec applies the process spec's (podman copies the container's).
                InitProcessSettings.ApplyRlimits(process.Rlimits ?? []);

                if (process.Terminal)
                {
                    ConsoleSetup.Attach(ContainerInit.ConsoleSocketFd + preserved, process.ConsoleSize);
                }
                else
                {
                    InitProcessSettings.NewSession();
                }

                executable = ExecutableLookup.Resolve(process.Args[0], process.Env);
                seccomp = spec.Linux?.Seccomp is { } filter ? SeccompFilter.Compile(filter) : null;
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

        ContainerExec.Exec(spec.Process!, executable, seccomp, Lifecycle.KeepGroups.Requested(spec.Annotations), preserved);
        return 125;
    }

    /// <summary>
    /// A missing working directory fails the exec as docker's does (exit 126, the command cannot be run there);
    /// unlike run, exec does not create it.
    /// </summary>
    private void ChangeToWorkingDirectory(string cwd)
    {
        try
        {
            using IMountTarget target = sys.OpenInRoot("/", cwd, TargetKind.Existing);
            sys.ChangeDirectory(target);
        }
        catch (SystemCallException e)
        {
            throw new SkiffException(ErrorKind.CannotExecute, $"cannot change to the working directory \"{cwd}\": {Errnos.Describe(e.Errno)}");
        }
    }
}
