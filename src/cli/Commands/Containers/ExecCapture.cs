namespace Skiff.Cli.Commands.Containers;

/// <summary>How a captured exec ended: its exit code (-1 when it was killed at the timeout) and its stdout and stderr, interleaved.</summary>
public sealed record ExecCapture(int ExitCode, string Output, bool TimedOut);
