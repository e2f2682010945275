using System.CommandLine;
using System.Globalization;
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
            using Stream stdout = new Output.StandardStream(1);
            using Stream stderr = new Output.StandardStream(2);
            using var printer = new LogPrinter(stdout, stderr, parse.GetValue(timestamps));
            var file = new ContainerLogFile(lifecycle.Store.LogPath(id), config.LogDriver);
            LogRecordAction print = from is DateTimeOffset earliest
                ? record =>
                {
                    if (record.Time >= earliest)
                    {
                        printer.Print(record);
                    }
                }
                : printer.Print;
            long offset = last is int keep ? file.TailStart(keep) : 0;
            bool following = parse.GetValue(follow);
            while (true)
            {
                offset = file.Read(offset, print);
                printer.Flush();
                if (!following)
                {
                    return ExitCodes.Success;
                }

                if (!lifecycle.Store.Exists(id) || !lifecycle.Observe(id).Running)
                {
                    // What the container wrote between this read and its end.
                    file.Read(offset, print);
                    return ExitCodes.Success;
                }

                await Task.Delay(100, cancellationToken);
            }
        });
        return command;
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
