namespace Skiff.Core.Processes;

public sealed record ExternalResult(int ExitCode, string StandardOutput, string StandardError);
