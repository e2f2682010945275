using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Core.Processes;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.IdMaps;

/// <summary>
/// Writes a rootless user's maps through the setuid helpers newuidmap and newgidmap. They run at the start
/// of every rootless command that re-executes itself in its user namespace, so they are started with
/// posix_spawn and waited for directly, like the monitor's helpers: System.Diagnostics.Process (SIGCHLD
/// machinery, asynchronous pipe readers on the thread pool) cost milliseconds per helper there.
/// </summary>
public sealed class NewIdMapWriter(string newUidMap = "/usr/bin/newuidmap", string newGidMap = "/usr/bin/newgidmap") : IIdMapWriter
{
    public Task WriteAsync(int pid, IdMap map, CancellationToken cancellationToken = default)
    {
        Run(newUidMap, pid, map.Uids, "/etc/subuid");
        Run(newGidMap, pid, map.Gids, "/etc/subgid");
        return Task.CompletedTask;
    }

    private static void Run(string program, int pid, IReadOnlyList<IdMapping> mappings, string file)
    {
        if (!File.Exists(program))
        {
            throw SkiffException.PrerequisiteMissing(
                $"{program} is missing: rootless skiff needs it to map subordinate ids",
                "install the uidmap package (apt-get install uidmap)");
        }

        ExternalCommand command = NewIdMapCommand.For(program, pid, mappings);
        (int exitCode, string error) = RunCapturingError(command);
        if (exitCode != 0)
        {
            throw new SkiffException(
                ErrorKind.PermissionDenied,
                $"{Path.GetFileName(program)} failed: {error.Trim()}",
                $"check {file} has exactly one non-overlapping range for this user and that {program} is setuid root or has file capabilities");
        }
    }

    private static (int ExitCode, string Error) RunCapturingError(ExternalCommand command)
    {
        (SafeFileHandle errorRead, SafeFileHandle errorWrite) = Descriptors.Pipe();
        using (errorRead)
        {
            int child;
            using (errorWrite)
            using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
            using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
            {
                var environment = new Dictionary<string, string> { ["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin" };
                child = Spawner.Spawn(new SpawnRequest(command.Program, command.Arguments, environment)
                {
                    Descriptors = [(nullIn, 0), (nullOut, 1), (errorWrite, 2)],
                });
            }

            var error = new StringBuilder();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = Descriptors.Read(errorRead, buffer)) > 0)
            {
                error.Append(Encoding.UTF8.GetString(buffer, 0, n));
            }

            return (ChildProcesses.Wait(child).ShellCode, error.ToString());
        }
    }
}
