using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>--volumes-from CONTAINER[:ro|rw|z]</c> (repeatable): the volumes and bind mounts of another container, running or
/// not, with its options or read-only/read-write as asked, as podman 4.3. Its tmpfs mounts are not shared (podman leaves them
/// out with a warning). A mount of this container's own -v/--mount/--tmpfs at the same destination wins.
/// </summary>
public static class VolumesFrom
{
    public static IReadOnlyList<ContainerMount> Resolve(ContainerStore store, IReadOnlyList<string> values)
    {
        var result = new List<ContainerMount>();
        foreach (string value in values)
        {
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            string name = colon < 0 ? value : value[..colon];
            bool? readOnly = null;
            foreach (string option in colon < 0 ? [] : value[(colon + 1)..].Split(','))
            {
                readOnly = option switch
                {
                    "ro" => true,
                    "rw" => false,
                    "z" => readOnly,
                    _ => throw SkiffException.InvalidArgument(
                        $"invalid option \"{option}\" specified - volumes from another container can only use z,ro,rw options",
                        "use --volumes-from CONTAINER, CONTAINER:ro or CONTAINER:rw"),
                };
            }

            string id;
            try
            {
                id = store.Resolve(name);
            }
            catch (SkiffException e) when (e.Kind == ErrorKind.NotFound)
            {
                throw SkiffException.NotFound($"looking up container \"{name}\" for volumes-from: {e.Message}", "check the name with 'skiff ps -a'");
            }

            foreach (ContainerMount mount in store.ReadConfig(id).Mounts)
            {
                if (mount.Type is not ("volume" or "bind"))
                {
                    continue;
                }

                IReadOnlyList<string> options = readOnly switch
                {
                    true => [.. mount.Options.Where(o => o is not ("ro" or "rw")), "ro"],
                    false => [.. mount.Options.Where(o => o is not ("ro" or "rw"))],
                    null => mount.Options,
                };
                result.Add(mount with { Options = options, FromContainer = id });
            }
        }

        return result;
    }

    /// <summary>The container's own mounts, then those of <paramref name="shared"/> at destinations they do not cover (the first container named wins).</summary>
    public static IReadOnlyList<ContainerMount> Merge(IReadOnlyList<ContainerMount> own, IReadOnlyList<ContainerMount> shared)
    {
        var covered = own.Select(m => Clean(m.Destination)).ToHashSet(StringComparer.Ordinal);
        return [.. own, .. shared.Where(m => covered.Add(Clean(m.Destination)))];
    }

    private static string Clean(string path) => "/" + string.Join('/', path.Split('/', StringSplitOptions.RemoveEmptyEntries));
}
