namespace Skiff.Runtime.Monitor;

/// <summary>The end of an attach session and, when the container exited, its exit code.</summary>
public readonly record struct AttachResult(AttachEnd End, int ExitCode);
