namespace Skiff.Runtime.Logs;

/// <summary>
/// One record of a container log, viewed in place in the bytes read from the file: when, which stream, the
/// line's bytes, and whether the line continues in the next record.
/// </summary>
public readonly ref struct LogRecord(DateTimeOffset time, bool isStderr, ReadOnlySpan<byte> content, bool partial)
{
    public DateTimeOffset Time { get; } = time;

    public bool IsStderr { get; } = isStderr;

    public ReadOnlySpan<byte> Content { get; } = content;

    public bool Partial { get; } = partial;
}
