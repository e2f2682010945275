using Skiff.Core.Errors;
using Skiff.Core.Files;
using Skiff.Runtime.Fds;

namespace Skiff.Runtime.Health;

/// <summary>
/// The health records of a store's containers: <c>health.json</c> in each container's directory, replaced whole
/// (temp file + rename) so readers (ps, inspect) never see a torn one, and changed under <c>health.lock</c> so two
/// checks (the scheduled one and a user's <c>healthcheck run</c>) never lose each other's result. A lock of its own:
/// the container's lock is held by stop and start for seconds, and a check must not wait for them.
/// </summary>
/// <param name="containerDirectory">The directory of a container by id (ContainerStore.Directory).</param>
public sealed class HealthStore(Func<string, string> containerDirectory)
{
    private const string StateFile = "health.json";
    private const string LockFile = "health.lock";

    /// <summary>The recorded health; <see cref="HealthState.None"/> when nothing was recorded (or the record is unreadable).</summary>
    public HealthState Read(string id)
    {
        try
        {
            return HealthStateJson.Read(File.ReadAllBytes(Path.Combine(containerDirectory(id), StateFile)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return HealthState.None;
        }
    }

    /// <summary>Reads, changes and writes the record under its lock; returns what was written.</summary>
    public HealthState Update(string id, Func<HealthState, HealthState> change)
    {
        string directory = containerDirectory(id);
        if (!Directory.Exists(directory))
        {
            throw SkiffException.NotFound($"no container with name or ID \"{id}\" found: no such container");
        }

        using DescriptorLock held = DescriptorLock.Acquire(Path.Combine(directory, LockFile));
        HealthState next = change(Read(id));
        AtomicFile.Replace(Path.Combine(directory, StateFile), HealthStateJson.Write(next));
        return next;
    }
}
