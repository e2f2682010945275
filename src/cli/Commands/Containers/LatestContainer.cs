using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>podman's <c>--latest</c>/<c>-l</c>: the most recently created container of the store.</summary>
public static class LatestContainer
{
    /// <summary>podman's words for <c>-l</c> given with container names.</summary>
    public const string WithNames = "--latest and containers cannot be used together";

    public static Option<bool> CreateOption() => new("--latest", "-l") { Description = "Act on the latest container skiff is aware of" };

    /// <summary>The id of the container created last; podman's error when the store has none.</summary>
    /// <exception cref="SkiffException">NotFound: there is no container.</exception>
    public static string Id(ContainerStore store) =>
        TryId(store) ?? throw SkiffException.NotFound("no such container", "create a container first, or name one");

    /// <summary>The id of the container created last; null when the store has none.</summary>
    public static string? TryId(ContainerStore store)
    {
        string? latest = null;
        DateTimeOffset created = DateTimeOffset.MinValue;
        foreach (string id in store.ListIds())
        {
            try
            {
                ContainerConfig config = store.ReadConfig(id);
                if (latest is null || config.Created > created)
                {
                    (latest, created) = (id, config.Created);
                }
            }
            catch (SkiffException)
            {
                // Removed while we looked, or unreadable: not a candidate.
            }
        }

        return latest;
    }

    /// <summary>
    /// The container a single-container verb acts on: the name given, or with <paramref name="latest"/> the latest
    /// container (then no name may be given).
    /// </summary>
    /// <param name="missing">podman's words (they differ by verb) when neither is given.</param>
    public static string Resolve(ContainerStore store, bool latest, string? name, string missing)
    {
        if (latest)
        {
            return name is null ? Id(store) : throw SkiffException.InvalidArgument(WithNames);
        }

        return name is null ? throw SkiffException.InvalidArgument(missing) : store.Resolve(name);
    }
}
