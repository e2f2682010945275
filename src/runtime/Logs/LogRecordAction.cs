namespace Skiff.Runtime.Logs;

/// <summary>Receives each record <see cref="ContainerLogFile"/> reads; the record's bytes are valid only during the call.</summary>
public delegate void LogRecordAction(LogRecord record);
