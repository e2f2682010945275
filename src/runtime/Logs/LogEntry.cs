namespace Skiff.Runtime.Logs;

/// <summary>One record of a container log: when, which stream, the bytes, and whether the line continues in the next record.</summary>
public sealed record LogEntry(DateTimeOffset Time, string Stream, string Content, bool Partial);
