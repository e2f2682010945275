using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Runtime.Volumes;

namespace Skiff.Cli.Commands.Volumes;

/// <summary><c>skiff volume ls [-q] [--filter F] [--format T]</c></summary>
public static class VolumeLsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print volume output in quiet mode" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter volume output (name, driver, label, label!, dangling, until)" };
        var format = new Option<string?>("--format") { Description = "Format volume output using a Go template, 'table TEMPLATE' or 'json'" };
        var noHeading = new Option<bool>("--noheading") { Description = "Do not print headers" };
        var command = new Command("ls", "List volumes") { quiet, filter, format, noHeading };
        command.Aliases.Add("list");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            VolumeFilter volumeFilter = VolumeFilter.Parse(parse.GetValue(filter) ?? [], DateTimeOffset.UtcNow);
            OutputFormat output = OutputFormat.Parse(parse.GetValue(format), VolumeView.DefaultTable, "volumes");
            VolumeStore volumes = ContainerServices.Volumes(context);
            var users = new Lazy<VolumeUsers>(() => new VolumeUsers(ContainerServices.Store(context)));
            var inUse = new Lazy<IReadOnlySet<string>>(() => users.Value.InUse());
            List<VolumeRecord> selected = volumes.List().Where(v => volumeFilter.Matches(v, () => inUse.Value.Contains(v.Name))).ToList();
            if (parse.GetValue(quiet))
            {
                selected.ForEach(v => context.Out.WriteLine(v.Name));
                return ExitCodes.Success;
            }

            List<object?> rows = selected.Select(v => (object?)VolumeView.Build(v, volumes, 0)).ToList();
            if (output.IsJson)
            {
                context.Out.WriteLine(JsonOutput.Serialize(rows, indented: true));
                return ExitCodes.Success;
            }

            // podman prints nothing at all, not even the header, when there are no volumes.
            if (rows.Count == 0 && output.IsTable)
            {
                return ExitCodes.Success;
            }

            context.Out.Write(output.Render(rows, parse.GetValue(noHeading) ? null : TableHeader.Build(VolumeView.TypeName, VolumeView.Fields, VolumeView.Titles)));
            return ExitCodes.Success;
        });
        return command;
    }
}
