using System.Diagnostics;
using System.Globalization;
using Skiff.Core.Digests;
using Skiff.Images.Manifests;
using Skiff.Images.Registry.Pulling;

namespace Skiff.Cli.Output;

/// <summary>
/// Podman's pull/push report on stderr: plain lines when stderr is not a terminal; on a terminal one
/// progress bar per blob (bytes/total, speed), redrawn in place. Quiet prints nothing.
/// </summary>
public sealed class PullProgressPrinter : IPullProgress, IDisposable
{
    private const int BarWidth = 30;
    private readonly TextWriter writer;
    private readonly bool interactive;
    private readonly bool quiet;
    private readonly object gate = new();
    private readonly List<Row> rows = [];
    private readonly HashSet<Digest> skipped = [];
    private readonly Timer? timer;
    private int drawnLines;

    public PullProgressPrinter(TextWriter writer, bool interactive, bool quiet)
    {
        this.writer = writer;
        this.interactive = interactive && !quiet;
        this.quiet = quiet;
        if (this.interactive)
        {
            timer = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
        }
    }

    public void Trying(string reference) => Line($"Trying to pull {reference}...");

    public void CopyingStarted() => Line("Getting image source signatures");

    public void BlobStarted(Descriptor blob, bool alreadyExists)
    {
        if (quiet)
        {
            return;
        }

        Digest digest = blob.ParsedDigest;
        lock (gate)
        {
            if (!interactive)
            {
                if (alreadyExists && skipped.Add(digest))
                {
                    writer.WriteLine($"Copying blob {digest.Short} skipped: already exists");
                }

                return;
            }

            rows.Add(new Row(digest, blob.Size, Stopwatch.StartNew()) { Done = alreadyExists, Skipped = alreadyExists });
        }
    }

    public void BlobProgress(Digest blob, long bytes)
    {
        lock (gate)
        {
            Row? row = rows.FirstOrDefault(r => r.Digest == blob);
            if (row is not null)
            {
                row.Bytes = bytes;
            }
        }
    }

    public void BlobDone(Digest blob)
    {
        if (quiet)
        {
            return;
        }

        lock (gate)
        {
            Row? row = rows.FirstOrDefault(r => r.Digest == blob);
            if (row is null)
            {
                if (!interactive && !skipped.Contains(blob))
                {
                    writer.WriteLine($"Copying blob {blob.Short} done");
                }

                return;
            }

            row.Done = true;
            row.Bytes = row.Size;
        }
    }

    public void CopyingConfig(Digest config)
    {
        FinishBars();
        Line($"Copying config {config.Short} done");
    }

    public void WritingManifest()
    {
        FinishBars();
        Line("Writing manifest to image destination");
    }

    public void Dispose()
    {
        timer?.Dispose();
        FinishBars();
    }

    private void FinishBars()
    {
        lock (gate)
        {
            if (rows.Count > 0)
            {
                DrawLocked();
                rows.Clear();
                drawnLines = 0;
            }
        }
    }

    private void Line(string text)
    {
        if (quiet)
        {
            return;
        }

        lock (gate)
        {
            writer.WriteLine(text);
        }
    }

    private void Redraw()
    {
        lock (gate)
        {
            if (rows.Count > 0)
            {
                DrawLocked();
            }
        }
    }

    private void DrawLocked()
    {
        if (drawnLines > 0)
        {
            writer.Write($"\u001b[{drawnLines}F");
        }

        foreach (Row row in rows)
        {
            writer.Write("\u001b[2K");
            writer.WriteLine(Render(row));
        }

        drawnLines = rows.Count;
        writer.Flush();
    }

    private static string Render(Row row)
    {
        if (row.Skipped)
        {
            return $"Copying blob {row.Digest.Short} skipped: already exists";
        }

        if (row.Done)
        {
            return $"Copying blob {row.Digest.Short} done   {Bytes(row.Size)}";
        }

        double fraction = row.Size > 0 ? Math.Clamp((double)row.Bytes / row.Size, 0, 1) : 0;
        int filled = (int)(fraction * BarWidth);
        string bar = new string('=', filled) + (filled < BarWidth ? ">" + new string(' ', BarWidth - filled - 1) : string.Empty);
        double seconds = Math.Max(row.Clock.Elapsed.TotalSeconds, 0.001);
        return $"Copying blob {row.Digest.Short} [{bar}] {Bytes(row.Bytes)} / {Bytes(row.Size)} ({Bytes((long)(row.Bytes / seconds))}/s)";
    }

    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes}B" : value.ToString("0.0", CultureInfo.InvariantCulture) + units[unit];
    }

    private sealed class Row(Digest digest, long size, Stopwatch clock)
    {
        public Digest Digest { get; } = digest;

        public long Size { get; } = size;

        public Stopwatch Clock { get; } = clock;

        public long Bytes { get; set; }

        public bool Done { get; set; }

        public bool Skipped { get; set; }
    }
}
