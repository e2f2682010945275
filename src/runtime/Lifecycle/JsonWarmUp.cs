namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// System.Text.Json builds a type's metadata on its first use, through reflection that is slow under
/// NativeAOT (attribute and assembly lookups per converter): ~1.5 ms for the container config and ~2 ms for
/// the OCI spec, in each process of a container's start. Done ahead, while the process waits or does other
/// work, it leaves the start path. The metadata cache is thread-safe.
/// </summary>
public static class JsonWarmUp
{
    /// <summary>The container's config and state, the OCI spec and the runtime's record: what `run` writes and the monitor reads.</summary>
    public static void Containers()
    {
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerConfig));
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerState));
        _ = Spec.SpecJsonContext.Default.Options.GetTypeInfo(typeof(Spec.RuntimeSpec));
        _ = Skiff.Runtime.Containers.StateJsonContext.Default.Options.GetTypeInfo(typeof(Skiff.Runtime.Containers.ContainerRecord));
    }

    /// <summary>Runs <see cref="Containers"/> on a thread of its own (the CLI's run, while it resolves the image).</summary>
    public static void ContainersInBackground() => new Thread(Containers) { IsBackground = true, Name = "json warm-up" }.Start();
}
