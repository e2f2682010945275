using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Core.Events;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff events [--since T] [--until T] [--filter K=V] [--format json|TEMPLATE] [--stream=false] [--no-trunc=false]</c>
/// (= <c>system events</c>): the store's event log, as podman 4.3's file backend prints it. Without --since or --until
/// only new events are shown; it follows the log until ctrl-c, or until --until has passed, unless --stream=false.
/// </summary>
public static class EventsCommand
{
    /// <summary>How often a following reader looks for new lines: a stat of the log, nothing more.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(GlobalOptions globals)
    {
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output (container=, event=, image=, label=, type=, volume=, network=)" };
        var format = new Option<string?>("--format") { Description = "Format the output as JSON Lines ('json') or with a Go template" };
        var since = new Option<string?>("--since") { Description = "Show all events created since TIMESTAMP or relative duration (e.g. 10m)" };
        var until = new Option<string?>("--until") { Description = "Show all events created until TIMESTAMP or relative duration" };
        var stream = new Option<bool>("--stream") { Description = "Stream new events; false: print the past ones and exit", DefaultValueFactory = _ => true };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate the output", DefaultValueFactory = _ => true };
        var command = new Command("events", "Show skiff events") { filter, format, since, until, stream, noTrunc };
        command.SetAction(async (parse, cancel) =>
        {
            CliContext context = globals.Resolve(parse);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            DateTimeOffset? from = InputTime.ParseFlag("--since", parse.GetValue(since), now);
            DateTimeOffset? to = InputTime.ParseFlag("--until", parse.GetValue(until), now);
            EventFilter events = EventFilter.Parse(parse.GetValue(filter) ?? []);
            string? formatText = parse.GetValue(format);
            bool json = formatText?.Trim() == "json";
            OutputFormat? template = string.IsNullOrWhiteSpace(formatText) || json ? null : OutputFormat.Parse(formatText, formatText, "events");
            bool truncate = !parse.GetValue(noTrunc);

            void Print(EngineEvent e)
            {
                if ((from is { } f && e.Time < f) || (to is { } t && e.Time > t) || !events.Matches(e))
                {
                    return;
                }

                if (json)
                {
                    context.Out.Write(global::System.Text.Encoding.UTF8.GetString(EventJson.Line(e)));
                }
                else if (template is not null)
                {
                    context.Out.Write(template.RenderOne(EventView.Template(e)));
                }
                else
                {
                    context.Out.WriteLine(EventView.Line(e, truncate));
                }
            }

            EventLog log = context.Events;
            bool follow = parse.GetValue(stream) && (to is null || to > now);
            await FollowAsync(log, Print, skipPast: follow && from is null && to is null, follow, to, context.Out, cancel);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints the log's events (none of the past ones when <paramref name="skipPast"/>), then new ones as they are appended while <paramref name="follow"/>.</summary>
    private static async Task FollowAsync(EventLog log, Action<EngineEvent> print, bool skipPast, bool follow, DateTimeOffset? until, TextWriter output, CancellationToken cancel)
    {
        long position = skipPast ? Length(log.FilePath) : 0;
        DateTimeOffset last = DateTimeOffset.MinValue;
        bool reread = false;
        while (true)
        {
            long length = Length(log.FilePath);
            if (length < position)
            {
                // Rotated: the file now starts with older events than the last one printed; they are skipped by time.
                position = 0;
                reread = true;
            }

            if (length > position)
            {
                byte[] chunk = Read(log.FilePath, position, length);
                int consumed = 0;
                foreach (EngineEvent e in EventLog.Parse(chunk, ref consumed))
                {
                    if (!reread || e.Time > last)
                    {
                        print(e);
                        last = e.Time > last ? e.Time : last;
                    }
                }

                position += consumed;
                reread = false;
                output.Flush();
            }

            if (!follow || (until is { } end && DateTimeOffset.UtcNow > end) || cancel.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(PollInterval, cancel);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static long Length(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (FileNotFoundException)
        {
            return 0;
        }
        catch (DirectoryNotFoundException)
        {
            return 0;
        }
    }

    private static byte[] Read(string path, long from, long to)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            byte[] buffer = new byte[to - from];
            int read = RandomAccess.Read(file.SafeFileHandle, buffer, from);
            return read == buffer.Length ? buffer : buffer[..read];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }
}
