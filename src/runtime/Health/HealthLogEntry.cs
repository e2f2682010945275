namespace Skiff.Runtime.Health;

/// <summary>One check's result: podman's <c>State.Health.Log</c> item (an exit code of -1 is a check that timed out).</summary>
public sealed record HealthLogEntry(DateTimeOffset Start, DateTimeOffset End, int ExitCode, string Output);
