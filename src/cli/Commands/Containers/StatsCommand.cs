using System.CommandLine;
using System.Globalization;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Cgroups;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff stats [-a] [--no-stream] [--no-trunc] [--format T] [-i SECONDS] [CONTAINER...]</c>: CPU %, memory,
/// network, block IO and pids of running containers, from their cgroups. CPU % is measured between two
/// samples one interval apart, so even --no-stream takes one interval.
/// </summary>
public static class StatsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all containers (default shows just running)" };
        var noStream = new Option<bool>("--no-stream") { Description = "Disable streaming stats and only pull the first result" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate output" };
        var format = new Option<string?>("--format") { Description = "Pretty-print container statistics using a Go template, 'table TEMPLATE' or 'json'" };
        var interval = new Option<int>("--interval", "-i") { Description = "Time in seconds between stats reports", DefaultValueFactory = _ => 1 };
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var latest = LatestContainer.CreateOption();
        var command = new Command("stats", "Display a live stream of container resource usage statistics") { all, noStream, noTrunc, format, interval, latest, containers };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            if (parse.GetValue(interval) < 1)
            {
                throw SkiffException.InvalidArgument("invalid interval, must be a positive number greater zero");
            }

            OutputFormat output = OutputFormat.Parse(parse.GetValue(format), StatsRow.DefaultTable, "stats");
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            var reader = new ContainerUsageReader(ContainerCgroups.ForHost(context.User.Rootless));
            string[] targets = parse.GetValue(containers) ?? [];
            if (parse.GetValue(latest))
            {
                ContainerTargets.Check(targets.Length > 0, parse.GetValue(all), latest: true, cidFile: false);
                targets = [LatestContainer.Id(lifecycle.Store)];
            }

            IReadOnlyList<string> ids = targets.Length > 0
                ? targets.Select(lifecycle.Store.Resolve).ToList()
                : lifecycle.Store.ListIds().Where(id => parse.GetValue(all) || IsRunning(lifecycle, id)).ToList();
            var delay = TimeSpan.FromSeconds(parse.GetValue(interval));
            ulong hostMemory = HostMemory();
            bool clear = !parse.GetValue(noStream) && !Console.IsOutputRedirected;

            Dictionary<string, ContainerUsage> previous = Sample(lifecycle, reader, ids, explicitTargets: targets.Length > 0);
            while (true)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                Dictionary<string, ContainerUsage> current = Sample(lifecycle, reader, ids, explicitTargets: targets.Length > 0);
                var rows = new List<object?>();
                foreach (string id in ids)
                {
                    if (previous.TryGetValue(id, out ContainerUsage? before) && current.TryGetValue(id, out ContainerUsage? now))
                    {
                        // A container that does not run has no cgroup to read: podman's zeros, "0B / 0B" for memory too.
                        rows.Add(StatsRow.Build(lifecycle.Store.ReadConfig(id), before, now, ReferenceEquals(now, NotRunning) ? 0 : hostMemory, parse.GetValue(noTrunc)));
                    }
                }

                if (clear)
                {
                    context.Out.Write("\u001b[2J\u001b[H");
                }

                if (output.IsJson)
                {
                    context.Out.WriteLine(JsonOutput.Serialize(rows, indented: true));
                }
                else
                {
                    context.Out.Write(output.Render(rows, TableHeader.Build(StatsRow.TypeName, StatsRow.Fields, StatsRow.Titles)));
                }

                context.Out.Flush();
                if (parse.GetValue(noStream))
                {
                    return ExitCodes.Success;
                }

                previous = current;
            }
        });
        return command;
    }

    private static bool IsRunning(ContainerLifecycle lifecycle, string id)
    {
        try
        {
            return lifecycle.Observe(id).Running;
        }
        catch (SkiffException)
        {
            return false;
        }
    }

    /// <summary>The sample of a container that does not run (created, initialized or exited): every counter zero.</summary>
    private static readonly ContainerUsage NotRunning = new(new Runtime.Cgroups.CgroupStats(0, null, 0, 0, null, 0, 0), 0, 0, 0);

    /// <summary>
    /// Running containers are read; a named one that does not run (or one listed by --all) gets
    /// <see cref="NotRunning"/>'s zeros, as podman 4.3 prints them.
    /// </summary>
    private static Dictionary<string, ContainerUsage> Sample(ContainerLifecycle lifecycle, ContainerUsageReader reader, IReadOnlyList<string> ids, bool explicitTargets)
    {
        var samples = new Dictionary<string, ContainerUsage>(StringComparer.Ordinal);
        foreach (string id in ids)
        {
            ContainerConfig config;
            ContainerState state;
            try
            {
                config = lifecycle.Store.ReadConfig(id);
                state = lifecycle.Observe(id);
            }
            catch (SkiffException) when (!explicitTargets)
            {
                continue;
            }

            if (!state.Running)
            {
                samples[id] = NotRunning;
                continue;
            }

            samples[id] = reader.Read(config, state);
        }

        return samples;
    }

    private static ulong HostMemory()
    {
        foreach (string line in File.ReadLines("/proc/meminfo"))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return ulong.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
