using System.Text;
using System.Text.Json;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Logs;

/// <summary>
/// Writes container output to the log file as records in podman's k8s-file format
/// (<c>TIME STREAM F|P TEXT</c>, P for a chunk that ends without a newline) or docker's json-file format
/// (<c>{"log":…,"stream":…,"time":…}</c>). Each record is one write(2) to an O_APPEND file, so readers
/// never see half a record. A batch of records that would take the file past <see cref="LogRotation.MaxSize"/> goes
/// to a new file (<see cref="LogRotation"/>); the old file is complete before the new one takes its name, so a reader
/// that finds a new file at the path has seen the last of the old one once it has read it to its end.
/// </summary>
public sealed class ContainerLogWriter : IDisposable
{
    private readonly string driver;
    private readonly string path;
    private readonly TimeProvider clock;
    private readonly LogRotation rotation;
    private FileStream? file;
    private long written;

    public ContainerLogWriter(string driver, string path, TimeProvider clock)
        : this(driver, path, clock, LogRotation.None)
    {
    }

    public ContainerLogWriter(string driver, string path, TimeProvider clock, LogRotation rotation)
    {
        this.driver = driver;
        this.path = path;
        this.clock = clock;
        this.rotation = rotation;
        if (LogDrivers.WritesFile(driver))
        {
            try
            {
                file = Open(path, FileMode.Append);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A --log-opt path= in a directory that is missing or not the user's: the start fails with why.
                throw SkiffException.InvalidArgument(
                    $"cannot open the log file {path}: {Reason(e)}",
                    "give --log-opt path= a file in an existing directory the container's user (you, rootless) can write");
            }

            written = file.Length;
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

        ReadOnlySpan<byte> bytes = record.Written;
        if (rotation.MaxSize > 0 && written > 0 && written + bytes.Length > rotation.MaxSize)
        {
            try
            {
                Rotate();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A full disk or a directory made read-only: the output is worth more than the bound.
                Console.Error.WriteLine($"skiff monitor: cannot rotate the log {path}: {e.Message}");
            }
        }

        file!.Write(bytes);
        written += bytes.Length;
    }

    public void Dispose() => file?.Dispose();

    // The published binary has no exception message resources (UseSystemResourceKeys): name the reason here.
    private static string Reason(Exception e) => e switch
    {
        DirectoryNotFoundException or FileNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        IOException { HResult: > 0 and < 4096 } io => System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(io.HResult).ToLowerInvariant(),
        _ => e.GetType().Name,
    };

    // 0600 as conmon creates it: a log can hold whatever the container printed.
    private static FileStream Open(string path, FileMode mode) =>
        !OperatingSystem.IsLinux() ? throw new PlatformNotSupportedException() : new(path, new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });

    private void Rotate()
    {
        if (rotation.MaxFiles > 1)
        {
            for (int generation = rotation.MaxFiles - 2; generation >= 1; generation--)
            {
                string older = LogRotation.FileName(path, generation);
                if (File.Exists(older))
                {
                    File.Move(older, LogRotation.FileName(path, generation + 1), overwrite: true);
                }
            }

            File.Move(path, LogRotation.FileName(path, 1), overwrite: true);
            file!.Dispose();
            file = Open(path, FileMode.Append);
        }
        else
        {
            // As conmon: the new file is made aside and renamed over the old one, so the path always names a log.
            string next = path + ".new";
            FileStream fresh = Open(next, FileMode.Create);
            File.Move(next, path, overwrite: true);
            file!.Dispose();
            file = fresh;
        }

        written = 0;
    }

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
