namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// System.Text.Json builds a type's metadata on its first use, through reflection that is slow under
/// NativeAOT (attribute and assembly lookups per converter): ~1.5 ms for the container config and ~2 ms for
/// the OCI spec, in each process of a container's start. Done ahead, while the process waits or does other
/// work, it leaves the start path. The metadata cache is thread-safe.
/// </summary>
public static class JsonWarmUp
{
    /// <summary>What the monitor reads: the container's config and state and the runtime's record (the OCI spec needs no metadata, see <see cref="Spec.SpecJsonReader"/>).</summary>
    public static void Monitor()
    {
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerConfig));
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerState));
        _ = Skiff.Runtime.Containers.StateJsonContext.Default.Options.GetTypeInfo(typeof(Skiff.Runtime.Containers.ContainerRecord));
    }

    /// <summary>
    /// What `run` and `create` write, in the order they write it, on a thread of its own while the CLI resolves
    /// the image: the container's config and state and the default seccomp profile (read from the binary's
    /// resources, another reflection path). Not the OCI spec: the CLI writes config.json as a JSON tree, and
    /// building the spec's metadata here cost ~1 ms of CPU beside the starting monitor for nothing.
    /// </summary>
    public static void CreateInBackground() => new Thread(() =>
    {
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerConfig));
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerState));
        _ = Seccomp.SeccompProfileResolver.LoadDefault();
    })
    {
        IsBackground = true,
        Name = "json warm-up",
    }.Start();
}
