using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Skiff.Cli.Flags;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff ps [-a] [-q] [--no-trunc] [--filter K=V] [--format T] [-s]</c>. Reads only the store's state
/// files and /proc (no runtime calls), so it stays fast with many containers and shows what really runs.
/// </summary>
public static class PsCommand
{
    private const string DefaultTable = "table {{.ID}}\\t{{.Image}}\\t{{.Command}}\\t{{.CreatedHuman}}\\t{{.Status}}\\t{{.Ports}}\\t{{.Names}}";

    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Show all the containers, default is only running containers" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print the numeric IDs of the containers only" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate the output" };
        var filters = new Option<string[]>("--filter", "-f") { Description = "Filter output based on conditions given" };
        var format = new Option<string?>("--format") { Description = "Pretty-print containers using a Go template" };
        var size = new Option<bool>("--size", "-s") { Description = "Display the total file sizes" };
        var last = new Option<int>("--last", "-n") { Description = "Print the n last created containers", DefaultValueFactory = _ => -1 };
        var latest = new Option<bool>("--latest", "-l") { Description = "Show the latest container created" };
        var noHeading = new Option<bool>("--noheading") { Description = "Do not print headers" };
        var sort = new Option<string?>("--sort") { Description = "Sort output by: command, created, id, image, names, runningfor, size, status" };
        var watch = new Option<uint>("--watch", "-w") { Description = "Watch the ps output on an interval in seconds" };
        var command = new Command("ps", "List containers") { all, quiet, noTrunc, filters, format, size, last, latest, noHeading, sort, watch };
        command.Aliases.Add("list");
        command.Aliases.Add("ls");
        command.SetAction(async parse =>
        {
            CliContext context = globals.Resolve(parse);
            string? sortKey = parse.GetValue(sort) is string key ? PsSort.Check(key) : null;
            bool measure = parse.GetValue(size) && !parse.GetValue(quiet);
            if (measure && ContainerSizes.NeedUserNamespace(context))
            {
                return await UserNamespaceEntry.RunAsync(context.User, UserNamespaceEntry.CurrentArguments());
            }

            ContainerStore store = ContainerServices.Store(context);
            uint seconds = parse.GetValue(watch);
            if (seconds == 0 || parse.GetValue(quiet) || OutputFormat.Parse(parse.GetValue(format), DefaultTable, "ps").IsJson)
            {
                // podman 4.3 lists once with -q or JSON even when asked to watch.
                return List();
            }

            // podman's watch: the screen cleared before each listing when it is a terminal, until SIGINT (then exit 1, as podman).
            bool clear = !Console.IsOutputRedirected;
            using var interrupted = new CancellationTokenSource();
            using var registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
            {
                signal.Cancel = true;
                interrupted.Cancel();
            });
            while (true)
            {
                if (clear)
                {
                    context.Out.Write("\u001b[2J\u001b[1;1H");
                }

                List();
                context.Out.Flush();
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds), interrupted.Token);
                }
                catch (OperationCanceledException)
                {
                    return ExitCodes.Interrupted;
                }
            }

            int List()
            {
                var observer = new StateObserver(TimeProvider.System);
                DateTimeOffset now = DateTimeOffset.UtcNow;
                string[] filterList = parse.GetValue(filters) ?? [];
                bool showAll = parse.GetValue(all) || filterList.Length > 0 || parse.GetValue(last) > 0 || parse.GetValue(latest);
                var rows = new List<(ContainerConfig Config, ContainerState State)>();
                var images = new Lazy<Skiff.Images.Local.LocalImages>(() => Images.ImageServices.Local(context));
                var filter = new ContainerFilter(filterList, images, store);
                var reader = new SmallFileReader();
                string Health(ContainerConfig config) => filter.Health(config);
                foreach (string id in store.ListIds())
                {
                    try
                    {
                        // The state first: without -a a container that does not run needs no config read.
                        if (store.TryReadState(id, reader) is not { } recorded)
                        {
                            continue; // Removed while we listed.
                        }

                        ContainerState state = observer.Observe(recorded);
                        if (!showAll && !state.Running)
                        {
                            continue;
                        }

                        if (store.TryReadListing(id, reader) is { } config && filter.Matches(config, state))
                        {
                            rows.Add((config, state));
                        }
                    }
                    catch (SkiffException)
                    {
                        // A record that cannot be read (corrupt or unreadable) is left out, as one removed while we listed.
                    }
                }

                rows.Sort((a, b) => b.Config.Created.CompareTo(a.Config.Created));
                int limit = parse.GetValue(latest) ? 1 : parse.GetValue(last);
                if (limit >= 0 && rows.Count > limit)
                {
                    rows = rows.Take(limit).ToList();
                }

                var sizes = new ContainerSizes(store, images);
                var measured = new Dictionary<string, ContainerSize?>(StringComparer.Ordinal);
                ContainerSize? Size(ContainerConfig config)
                {
                    if (!measure)
                    {
                        return null;
                    }

                    if (!measured.TryGetValue(config.Id, out ContainerSize? value))
                    {
                        value = sizes.Measure(config);
                        measured[config.Id] = value;
                    }

                    return value;
                }

                if (sortKey is not null)
                {
                    rows = PsSort.Order(rows, sortKey, now, Size);
                }

                bool full = parse.GetValue(noTrunc);
                if (parse.GetValue(quiet))
                {
                    foreach ((ContainerConfig config, _) in rows)
                    {
                        context.Out.WriteLine(full ? config.Id : ContainerIds.Short(config.Id));
                    }

                    return ExitCodes.Success;
                }

                string? text = parse.GetValue(format);
                if (measure && text is null)
                {
                    text = DefaultTable + "\\t{{.Size}}";
                }

                OutputFormat output = OutputFormat.Parse(text, DefaultTable, "ps");
                if (output.IsJson)
                {
                    context.Out.WriteLine(JsonOutput.Serialize(rows.Select(r => (object?)PsRow.Json(r.Config, r.State, now, Size(r.Config), Health(r.Config))).ToList(), indented: true, indentSize: 2));
                    return ExitCodes.Success;
                }

                TemplateObject header = TableHeader.Build(PsRow.TypeName, PsRow.Fields, PsRow.Titles);
                context.Out.Write(output.Render(rows.Select(r => (object?)PsRow.Build(r.Config, r.State, now, full, Size(r.Config), Health(r.Config))), parse.GetValue(noHeading) ? null : header));
                return ExitCodes.Success;
            }
        });
        return command;
    }
}
