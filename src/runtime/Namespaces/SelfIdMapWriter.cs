using Skiff.Core.Errors;
using Skiff.Core.IdMaps;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// Rootless without helpers: an unprivileged process may map exactly its own uid and gid, once
/// setgroups is denied (user_namespaces(7)). Anything else goes to <paramref name="helper"/>
/// (newuidmap/newgidmap), so specs with subordinate ranges keep working.
/// </summary>
public sealed class SelfIdMapWriter(IIdMapWriter helper, uint uid, uint gid) : IIdMapWriter
{
    public async Task WriteAsync(int pid, IdMap map, CancellationToken cancellationToken = default)
    {
        if (!IsOwnIdsOnly(map))
        {
            await helper.WriteAsync(pid, map, cancellationToken).ConfigureAwait(false);
            return;
        }

        await WriteAsync($"/proc/{pid}/uid_map", $"{map.Uids[0]}\n", cancellationToken).ConfigureAwait(false);
        await WriteAsync($"/proc/{pid}/setgroups", "deny", cancellationToken).ConfigureAwait(false);
        await WriteAsync($"/proc/{pid}/gid_map", $"{map.Gids[0]}\n", cancellationToken).ConfigureAwait(false);
    }

    public bool IsOwnIdsOnly(IdMap map) =>
        map.Uids.Count == 1 && map.Gids.Count == 1
        && map.Uids[0].HostId == uid && map.Uids[0].Size == 1
        && map.Gids[0].HostId == gid && map.Gids[0].Size == 1;

    private static async Task WriteAsync(string path, string text, CancellationToken cancellationToken)
    {
        try
        {
            await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"writing {path} failed: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"writing {path} failed: {e.Message}");
        }
    }
}
