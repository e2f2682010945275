using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Core.Processes;
using Skiff.Runtime.Namespaces;

namespace Skiff.Rootless.IdMaps;

/// <summary>Writes a rootless user's maps through the setuid helpers newuidmap and newgidmap.</summary>
public sealed class NewIdMapWriter(IProcessRunner runner, string newUidMap = "/usr/bin/newuidmap", string newGidMap = "/usr/bin/newgidmap") : IIdMapWriter
{
    public async Task WriteAsync(int pid, IdMap map, CancellationToken cancellationToken = default)
    {
        await RunAsync(newUidMap, pid, map.Uids, "/etc/subuid", cancellationToken).ConfigureAwait(false);
        await RunAsync(newGidMap, pid, map.Gids, "/etc/subgid", cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(string program, int pid, IReadOnlyList<IdMapping> mappings, string file, CancellationToken cancellationToken)
    {
        if (!File.Exists(program))
        {
            throw SkiffException.PrerequisiteMissing(
                $"{program} is missing: rootless skiff needs it to map subordinate ids",
                "install the uidmap package (apt-get install uidmap)");
        }

        ExternalResult result = await runner.TryRunAsync(NewIdMapCommand.For(program, pid, mappings), cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new SkiffException(
                ErrorKind.PermissionDenied,
                $"{Path.GetFileName(program)} failed: {result.StandardError.Trim()}",
                $"check {file} has exactly one non-overlapping range for this user and that {program} is setuid root or has file capabilities");
        }
    }
}
