namespace Skiff.Runtime.Namespaces;

/// <summary>How a container gets one of its namespaces (podman's --pid, --ipc, --uts and --network container: values).</summary>
public enum NamespaceModeKind
{
    /// <summary>Not given: a namespace of its own (podman shows "private", for ipc "shareable").</summary>
    Default,

    /// <summary>A namespace of its own.</summary>
    Private,

    /// <summary>The host's (the caller's) namespace: none is created.</summary>
    Host,

    /// <summary>ipc only: a namespace of its own that other containers may join (podman's default).</summary>
    Shareable,

    /// <summary>ipc only: a namespace of its own without a /dev/shm mount.</summary>
    None,

    /// <summary>The namespace of another container (its full id).</summary>
    Container,

    /// <summary>The namespace bound at a path (ns:PATH).</summary>
    Path,
}
