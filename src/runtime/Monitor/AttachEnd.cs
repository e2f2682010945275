namespace Skiff.Runtime.Monitor;

/// <summary>How an attach session ended.</summary>
public enum AttachEnd
{
    Exited,
    Detached,
    MonitorGone,

    /// <summary>The client ended the session itself (a signal it does not proxy); the container runs on.</summary>
    Left,
}
