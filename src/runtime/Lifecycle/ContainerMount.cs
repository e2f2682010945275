namespace Skiff.Runtime.Lifecycle;

/// <summary>A volume, bind or tmpfs mount of a container, as docker's inspect shows it under Mounts.</summary>
/// <param name="Type">bind, volume or tmpfs.</param>
/// <param name="Source">Host path (bind), volume path (volume) or empty (tmpfs).</param>
/// <param name="Destination">Path inside the container.</param>
/// <param name="Name">The volume's name, for volumes.</param>
/// <param name="Options">Mount options (ro, rbind, size=…).</param>
public sealed record ContainerMount(string Type, string Source, string Destination, string? Name, IReadOnlyList<string> Options)
{
    public bool ReadOnly => Options.Contains("ro");

    /// <summary>
    /// The container whose mount --volumes-from copied; its anonymous volume stays that container's and is never removed
    /// with this one (rm -v, --rm).
    /// </summary>
    public string? FromContainer { get; init; }
}
