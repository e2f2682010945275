namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// System.Text.Json builds a type's metadata on its first use, through reflection that is slow under
/// NativeAOT (attribute and assembly lookups per converter): ~1.5 ms for the container config and ~2 ms for
/// the OCI spec, in each process of a container's start. Done ahead, while the process waits or does other
/// work, it leaves the start path. The metadata cache is thread-safe.
/// </summary>
public static class JsonWarmUp
{
    /// <summary>What the monitor reads: the container's config and state, the OCI spec and the runtime's record.</summary>
    public static void Monitor()
    {
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerConfig));
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerState));
        _ = Spec.SpecJsonContext.Default.Options.GetTypeInfo(typeof(Spec.RuntimeSpec));
        _ = Skiff.Runtime.Containers.StateJsonContext.Default.Options.GetTypeInfo(typeof(Skiff.Runtime.Containers.ContainerRecord));
    }

    /// <summary>
    /// What `run` and `create` write, in the order they write it, on a thread of its own while the CLI resolves
    /// the image: the container's config and state, the default seccomp profile (read from the binary's
    /// resources, another reflection path) and the OCI spec.
    /// </summary>
    public static void CreateInBackground() => new Thread(() =>
    {
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerConfig));
        _ = ContainerJsonContext.Default.Options.GetTypeInfo(typeof(ContainerState));
        _ = Seccomp.SeccompProfileResolver.LoadDefault();
        _ = Spec.SpecJsonContext.Default.Options.GetTypeInfo(typeof(Spec.RuntimeSpec));
    })
    {
        IsBackground = true,
        Name = "json warm-up",
    }.Start();
}
