namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// System.Text.Json builds a type's metadata on its first use, through reflection that is slow under
/// NativeAOT (attribute and assembly lookups per converter). The files every start reads and writes (the
/// container's config and state, the OCI spec) are read and written by hand instead; what is left is built
/// ahead, while the process waits or does other work. The metadata cache is thread-safe.
/// </summary>
public static class JsonWarmUp
{
    /// <summary>
    /// What `run` and `create` read, on a thread of its own while the CLI resolves the image: the default seccomp
    /// profile (read from the binary's resources, another reflection path). Not the OCI spec: the CLI writes
    /// config.json as a JSON tree, and building the spec's metadata here cost ~1 ms of CPU beside the starting
    /// monitor for nothing.
    /// </summary>
    public static void CreateInBackground() => new Thread(() =>
    {
        _ = Seccomp.SeccompProfileResolver.LoadDefault();
    })
    {
        IsBackground = true,
        Name = "json warm-up",
    }.Start();
}
