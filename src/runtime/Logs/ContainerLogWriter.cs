using System.Text;
using System.Text.Json;

namespace Skiff.Runtime.Logs;

/// <summary>
/// Writes container output to the log file as records in podman's k8s-file format
/// (<c>TIME STREAM F|P TEXT</c>, P for a chunk that ends without a newline) or docker's json-file format
/// (<c>{"log":…,"stream":…,"time":…}</c>). Each record is one write(2) to an O_APPEND file, so readers
/// never see half a record.
/// </summary>
public sealed class ContainerLogWriter : IDisposable
{
    private readonly FileStream? file;
    private readonly string driver;
    private readonly TimeProvider clock;

    public ContainerLogWriter(string driver, string path, TimeProvider clock)
    {
        this.driver = driver;
        this.clock = clock;
        if (driver != LogDrivers.None)
        {
            file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
    }

    public void Write(string stream, ReadOnlySpan<byte> data)
    {
        if (file is null || data.IsEmpty)
        {
            return;
        }

        string time = LogDrivers.Timestamp(clock.GetUtcNow());
        var record = new ArrayBufferWriter();
        while (!data.IsEmpty)
        {
            int newline = data.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = newline < 0 ? data : data[..newline];
            bool partial = newline < 0;
            if (driver == LogDrivers.JsonFile)
            {
                WriteJson(record, time, stream, line, partial);
            }
            else
            {
                record.Append(Encoding.UTF8.GetBytes($"{time} {stream} {(partial ? 'P' : 'F')} "));
                record.Append(line);
                record.Append("\n"u8);
            }

            data = partial ? default : data[(newline + 1)..];
        }

        file.Write(record.Written);
    }

    public void Dispose() => file?.Dispose();

    private static void WriteJson(ArrayBufferWriter record, string time, string stream, ReadOnlySpan<byte> line, bool partial)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            string text = Encoding.UTF8.GetString(line) + (partial ? string.Empty : "\n");
            json.WriteString("log", text);
            json.WriteString("stream", stream);
            json.WriteString("time", time);
            json.WriteEndObject();
        }

        record.Append(buffer.WrittenSpan);
        record.Append("\n"u8);
    }

    /// <summary>A growable byte buffer for one batch of records.</summary>
    private sealed class ArrayBufferWriter
    {
        private byte[] bytes = new byte[256];
        private int length;

        public ReadOnlySpan<byte> Written => bytes.AsSpan(0, length);

        public void Append(ReadOnlySpan<byte> data)
        {
            if (length + data.Length > bytes.Length)
            {
                Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + data.Length));
            }

            data.CopyTo(bytes.AsSpan(length));
            length += data.Length;
        }
    }
}
