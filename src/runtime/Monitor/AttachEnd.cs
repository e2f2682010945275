namespace Skiff.Runtime.Monitor;

/// <summary>How an attach session ended.</summary>
public enum AttachEnd
{
    Exited,
    Detached,
    MonitorGone,
}
