using System.Globalization;

namespace Skiff.Runtime.Logs;

/// <summary>
/// When and how a log file is rotated. Past <see cref="MaxSize"/> bytes the writer starts a new file: with one file
/// (podman's k8s-file, conmon's way) the old one is replaced whole; with <see cref="MaxFiles"/> N &gt; 1 (docker's
/// json-file) it becomes <c>PATH.1</c>, the older ones move up to <c>PATH.(N-1)</c> and the oldest is dropped.
/// </summary>
/// <param name="MaxSize">Bytes a file may hold; 0: never rotated.</param>
/// <param name="MaxFiles">Files kept, the current one included; at least 1.</param>
public sealed record LogRotation(long MaxSize, int MaxFiles)
{
    public static LogRotation None { get; } = new(0, 1);

    public static LogRotation Of(long? maxSize, int? maxFiles) => new(Math.Max(0, maxSize ?? 0), Math.Max(1, maxFiles ?? 1));

    /// <summary><c>PATH.N</c>: the file rotated out N rotations ago (0: the current file).</summary>
    public static string FileName(string path, int generation) =>
        generation == 0 ? path : path + "." + generation.ToString(CultureInfo.InvariantCulture);
}
