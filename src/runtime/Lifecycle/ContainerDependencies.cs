using Skiff.Core.Errors;
using Skiff.Runtime.Namespaces;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// Containers that join the namespaces of others (--pid, --ipc, --uts, --network or --userns container:ID) depend on
/// them, as do those that name others with --requires, as in podman: a dependency is started before its dependents
/// and cannot be removed while they exist.
/// </summary>
public static class ContainerDependencies
{
    /// <summary>The full ids of the containers whose namespaces <paramref name="config"/> joins, then those it --requires, each once.</summary>
    public static IReadOnlyList<string> Of(ContainerConfig config)
    {
        List<string>? ids = null;
        // Configs written before a member existed read it as null.
        foreach (string? mode in (ReadOnlySpan<string?>)[config.PidMode, config.IpcMode, config.UtsMode, config.NetworkMode, config.UsernsMode])
        {
            if (ContainerOf(mode) is { } id && !(ids ??= []).Contains(id))
            {
                ids.Add(id);
            }
        }

        foreach (string id in config.Requires)
        {
            if (!(ids ??= []).Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids ?? (IReadOnlyList<string>)[];
    }

    /// <summary>The container id of a "container:ID" mode, else null.</summary>
    public static string? ContainerOf(string? mode) =>
        mode is null ? null : mode.StartsWith("container:", StringComparison.Ordinal) ? mode["container:".Length..] : null;

    /// <summary>The stored containers that depend on <paramref name="id"/> (unreadable ones are skipped).</summary>
    public static IReadOnlyList<string> Dependents(ContainerStore store, string id)
    {
        var dependents = new List<string>();
        foreach (string other in store.ListIds())
        {
            if (other == id)
            {
                continue;
            }

            try
            {
                if (Of(store.ReadConfig(other)).Contains(id))
                {
                    dependents.Add(other);
                }
            }
            catch (Exception e) when (e is IOException or SkiffException or System.Text.Json.JsonException)
            {
                // Half-created or half-removed: not a dependent anyone could start.
            }
        }

        return dependents;
    }

    /// <summary>podman's refusal to remove a container others depend on (exit 125).</summary>
    public static SkiffException HasDependents(string id, IReadOnlyList<string> dependents) => new(
        ErrorKind.AlreadyExists,
        $"container {id} has dependent containers which must be removed before it: {string.Join(", ", dependents)}: container already exists",
        "remove them first, or remove them together with 'skiff rm --depend'");

    /// <summary>The namespace file of <paramref name="type"/> (as /proc/PID/ns names it) of a running container's process.</summary>
    public static string NamespacePath(int pid, string type) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"/proc/{pid}/ns/{type}");
}
