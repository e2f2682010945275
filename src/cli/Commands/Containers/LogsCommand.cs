using System.CommandLine;
using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Logs;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff logs [-f] [--tail N] [--since T] [--until T] [-t] [--names] [--color] CONTAINER…</c>: stdout records to
/// stdout, stderr records to stderr; with several containers each line carries the container's id or name, as podman 4.3.
/// </summary>
public static class LogsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var tail = new Option<string>("--tail", "-n") { Description = "Number of lines to show from the end of the logs", DefaultValueFactory = _ => "all" };
        var since = new Option<string?>("--since") { Description = "Show logs since TIMESTAMP or relative duration (e.g. 10m)" };
        var until = new Option<string?>("--until") { Description = "Show logs until TIMESTAMP or relative duration (e.g. 10m, from now)" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };

        // Long form only: -n is docker's --tail here.
        var names = new Option<bool>("--names") { Description = "Output the container name in the log (with several containers)" };
        var color = new Option<bool>("--color") { Description = "Output the containers with different colors in the log" };
        var latest = LatestContainer.CreateOption();
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("logs", "Fetch the logs of one or more containers") { follow, tail, since, until, timestamps, names, color, latest, containers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string[] given = parse.GetValue(containers) ?? [];
            string[] ids = parse.GetValue(latest)
                ? given.Length == 0 ? [LatestContainer.Id(lifecycle.Store)] : throw SkiffException.InvalidArgument(LatestContainer.WithNames)
                : given.Length == 0 ? throw SkiffException.InvalidArgument("specify at least one container name or ID to log") : [.. given.Select(lifecycle.Store.Resolve)];
            ContainerConfig[] configs = [.. ids.Select(lifecycle.Store.ReadConfig)];
            foreach (ContainerConfig config in configs)
            {
                if (!LogDrivers.WritesFile(config.LogDriver))
                {
                    throw SkiffException.InvalidArgument($"this container is using the '{config.LogDriver}' log driver, cannot read logs: this container is not logging output");
                }
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
            var logs = new List<RotatedLogReader>();
            try
            {
                var sources = new LogSource[configs.Length];
                for (int i = 0; i < configs.Length; i++)
                {
                    ContainerConfig config = configs[i];
                    sources[i] = LogSource.For(config.Id, config.Name, i, configs.Length > 1, parse.GetValue(names), parse.GetValue(color));
                    logs.Add(new RotatedLogReader(lifecycle.Store.LogPath(config), config.LogDriver, LogRotation.Of(config.LogMaxSize, config.LogMaxFiles).MaxFiles, last));
                }

                // One container streams straight through; several are merged by time, one read of each at a time.
                var merged = new MergedLogRecords();
                LogRecordAction[] actions = configs.Length == 1
                    ? [Bounded(record => printer.Print(record, sources[0]), from, to)]
                    : [.. sources.Select(source => Bounded(merged.Collect(source), from, to))];
                void ReadAll()
                {
                    for (int i = 0; i < logs.Count; i++)
                    {
                        logs[i].Read(actions[i]);
                    }

                    merged.Drain(printer.Print);
                    printer.Flush();
                }

                bool following = parse.GetValue(follow);
                while (true)
                {
                    ReadAll();
                    if (!following)
                    {
                        return ExitCodes.Success;
                    }

                    // Past --until nothing more can be printed: stop following (podman 4.3 stops printing but never returns).
                    if (to is DateTimeOffset end && DateTimeOffset.UtcNow >= end)
                    {
                        ReadAll();
                        return ExitCodes.Success;
                    }

                    if (ids.All(id => !lifecycle.Store.Exists(id) || !lifecycle.Observe(id).Running))
                    {
                        // What the containers wrote between this read and their end.
                        ReadAll();
                        return ExitCodes.Success;
                    }

                    await Task.Delay(100, cancellationToken);
                }
            }
            finally
            {
                logs.ForEach(log => log.Dispose());
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
