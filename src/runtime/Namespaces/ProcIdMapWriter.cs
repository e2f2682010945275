using Skiff.Core.Errors;
using Skiff.Core.IdMaps;

namespace Skiff.Runtime.Namespaces;

/// <summary>Writes maps straight into /proc/PID/{uid,gid}_map; needs CAP_SETUID/CAP_SETGID (root).</summary>
public sealed class ProcIdMapWriter : IIdMapWriter
{
    public async Task WriteAsync(int pid, IdMap map, CancellationToken cancellationToken = default)
    {
        await WriteMapAsync($"/proc/{pid}/uid_map", map.Uids, cancellationToken).ConfigureAwait(false);
        await WriteMapAsync($"/proc/{pid}/gid_map", map.Gids, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteMapAsync(string path, IReadOnlyList<IdMapping> mappings, CancellationToken cancellationToken)
    {
        // The kernel wants the whole map in one write.
        string text = string.Concat(mappings.Select(m => m + "\n"));
        try
        {
            await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"writing {path} failed: {e.Message}", "check that the id ranges do not overlap and fit the host's ids");
        }
    }
}
