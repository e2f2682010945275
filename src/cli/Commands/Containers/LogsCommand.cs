using System.CommandLine;
using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff logs [-f] [--tail N] [--since T] [--until T] [-t] CONTAINER</c>: stdout records to stdout, stderr records to stderr.</summary>
public static class LogsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var tail = new Option<string>("--tail", "-n") { Description = "Number of lines to show from the end of the logs", DefaultValueFactory = _ => "all" };
        var since = new Option<string?>("--since") { Description = "Show logs since TIMESTAMP or relative duration (e.g. 10m)" };
        var until = new Option<string?>("--until") { Description = "Show logs until TIMESTAMP or relative duration (e.g. 10m, from now)" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };
        var latest = LatestContainer.CreateOption();
        var container = new Argument<string?>("container") { Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logs", "Fetch the logs of a container") { follow, tail, since, until, timestamps, latest, container };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = LatestContainer.Resolve(lifecycle.Store, parse.GetValue(latest), parse.GetValue(container), "specify at least one container name or ID to log");
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            if (!LogDrivers.WritesFile(config.LogDriver))
            {
                throw SkiffException.InvalidArgument($"this container is using the '{config.LogDriver}' log driver, cannot read logs: this container is not logging output");
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            DateTimeOffset? from = InputTime.ParseFlag("--since", parse.GetValue(since), now);
            DateTimeOffset? to = InputTime.ParseFlag("--until", parse.GetValue(until), now);
            int? last = parse.GetValue(tail) is string t && t != "all" && t != "-1"
                ? int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw SkiffException.InvalidArgument($"invalid --tail value \"{t}\"")
                : null;
            using Stream stdout = new Output.StandardStream(1);
            using Stream stderr = new Output.StandardStream(2);
            using var printer = new LogPrinter(stdout, stderr, parse.GetValue(timestamps));
            using var log = new RotatedLogReader(lifecycle.Store.LogPath(config), config.LogDriver, LogRotation.Of(config.LogMaxSize, config.LogMaxFiles).MaxFiles, last);
            LogRecordAction print = Bounded(printer.Print, from, to);
            bool following = parse.GetValue(follow);
            while (true)
            {
                log.Read(print);
                printer.Flush();
                if (!following)
                {
                    return ExitCodes.Success;
                }

                // Past --until nothing more can be printed: stop following (podman 4.3 stops printing but never returns).
                if (to is DateTimeOffset end && DateTimeOffset.UtcNow >= end)
                {
                    log.Read(print);
                    return ExitCodes.Success;
                }

                if (!lifecycle.Store.Exists(id) || !lifecycle.Observe(id).Running)
                {
                    // What the container wrote between this read and its end.
                    log.Read(print);
                    return ExitCodes.Success;
                }

                await Task.Delay(100, cancellationToken);
            }
        });
        return command;
    }

    /// <summary>podman's bounds are exclusive: <c>--since T --until T</c> prints nothing, <c>--until T</c> not the record at T.</summary>
    private static LogRecordAction Bounded(LogRecordAction print, DateTimeOffset? from, DateTimeOffset? to) => (from, to) switch
    {
        (null, null) => print,
        _ => record =>
        {
            if ((from is not DateTimeOffset earliest || record.Time > earliest) && (to is not DateTimeOffset latest || record.Time < latest))
            {
                print(record);
            }
        },
    };
}
