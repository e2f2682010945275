using System.CommandLine;
using System.Globalization;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff logs [-f] [--tail N] [--since T] [-t] CONTAINER</c>: stdout records to stdout, stderr records to stderr.</summary>
public static class LogsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var tail = new Option<string>("--tail", "-n") { Description = "Number of lines to show from the end of the logs", DefaultValueFactory = _ => "all" };
        var since = new Option<string?>("--since") { Description = "Show logs since TIMESTAMP or relative duration (e.g. 10m)" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };
        var container = new Argument<string>("container");
        var command = new Command("logs", "Fetch the logs of a container") { follow, tail, since, timestamps, container };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = lifecycle.Store.Resolve(parse.GetValue(container)!);
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            if (config.LogDriver == LogDrivers.None)
            {
                throw SkiffException.InvalidArgument("this container is using the 'none' log driver, cannot read logs: this container is not logging output");
            }

            DateTimeOffset? from = ParseSince(parse.GetValue(since));
            int? last = parse.GetValue(tail) is string t && t != "all" && t != "-1"
                ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw SkiffException.InvalidArgument($"invalid --tail value \"{t}\"")
                : null;
            bool stamps = parse.GetValue(timestamps);
            using Stream stdout = Console.OpenStandardOutput();
            using Stream stderr = Console.OpenStandardError();
            string path = lifecycle.Store.LogPath(id);
            long offset = 0;
            var pending = new StringBuilder();
            bool first = true;
            while (true)
            {
                var entries = new List<LogEntry>();
                offset = ReadNew(path, offset, pending, config.LogDriver, entries);
                IEnumerable<LogEntry> selected = entries.Where(e => from is null || e.Time >= from);
                if (first && last is int keep)
                {
                    selected = LastLines(selected.ToList(), keep);
                }

                first = false;
                foreach (LogEntry entry in selected)
                {
                    Stream target = entry.Stream == "stderr" ? stderr : stdout;
                    string text = (stamps ? LogDrivers.Timestamp(entry.Time) + " " : string.Empty) + entry.Content + (entry.Partial ? string.Empty : "\n");
                    target.Write(Encoding.UTF8.GetBytes(text));
                }

                stdout.Flush();
                if (!parse.GetValue(follow) || !lifecycle.Store.Exists(id) || !lifecycle.Observe(id).Running)
                {
                    if (parse.GetValue(follow) && File.Exists(path) && new FileInfo(path).Length > offset)
                    {
                        continue;
                    }

                    return ExitCodes.Success;
                }

                await Task.Delay(100, cancellationToken);
            }
        });
        return command;
    }

    /// <summary>Reads whole records appended since <paramref name="offset"/>; a trailing incomplete record waits in <paramref name="pending"/>.</summary>
    private static long ReadNew(string path, long offset, StringBuilder pending, string driver, List<LogEntry> entries)
    {
        if (!File.Exists(path))
        {
            return offset;
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Seek(offset, SeekOrigin.Begin);
        byte[] chunk = new byte[1 << 20];
        int n;
        var bytes = new MemoryStream();
        while ((n = file.Read(chunk)) > 0)
        {
            bytes.Write(chunk, 0, n);
        }

        offset += bytes.Length;
        pending.Append(Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length));
        string text = pending.ToString();
        int end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return offset;
        }

        pending.Clear();
        pending.Append(text[(end + 1)..]);
        foreach (string line in text[..end].Split('\n'))
        {
            if (ContainerLogReader.ParseLine(driver, line) is LogEntry entry)
            {
                entries.Add(entry);
            }
        }

        return offset;
    }

    /// <summary>The records making up the last <paramref name="lines"/> full lines (partial records belong to the line they end in).</summary>
    private static IEnumerable<LogEntry> LastLines(List<LogEntry> entries, int lines)
    {
        int start = entries.Count;
        int seen = 0;
        while (start > 0)
        {
            if (!entries[start - 1].Partial)
            {
                if (seen == lines)
                {
                    break;
                }

                seen++;
            }

            start--;
        }

        return entries.Skip(start);
    }

    private static DateTimeOffset? ParseSince(string? since)
    {
        if (since is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset time))
        {
            return time;
        }

        if (since.Length > 1 && double.TryParse(since[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double amount))
        {
            TimeSpan? span = since[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => null,
            };
            if (span is TimeSpan s)
            {
                return DateTimeOffset.UtcNow - s;
            }
        }

        if (long.TryParse(since, NumberStyles.None, CultureInfo.InvariantCulture, out long unix))
        {
            return DateTimeOffset.FromUnixTimeSeconds(unix);
        }

        throw SkiffException.InvalidArgument($"invalid --since value \"{since}\"", "use an RFC 3339 time, a Unix time or a duration like 10m");
    }
}
