namespace Skiff.Runtime.Lifecycle;

/// <summary>docker's State.Status values that skiff uses.</summary>
public static class ContainerStatus
{
    public const string Created = "created";

    /// <summary>Created by the runtime (<c>skiff init</c>), its process not started yet: podman's "initialized".</summary>
    public const string Initialized = "initialized";
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Stopping = "stopping";
    public const string Exited = "exited";
    public const string Removing = "removing";
}
