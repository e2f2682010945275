using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Rootless.Network.Bridge;

namespace Skiff.Cli.Commands.Networks;

/// <summary><c>skiff network ls [-q] [--no-trunc] [--filter F] [--format T]</c></summary>
public static class NetworkLsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Display only network names" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate the network ID" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output (name, id, driver, label)" };
        var format = new Option<string?>("--format") { Description = "Pretty-print networks using a Go template, 'table TEMPLATE' or 'json'" };
        var noHeading = new Option<bool>("--noheading") { Description = "Do not print headers" };
        var command = new Command("ls", "List networks") { quiet, noTrunc, filter, format, noHeading };
        command.Aliases.Add("list");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            NetworkFilter networkFilter = NetworkFilter.Parse(parse.GetValue(filter) ?? [], DateTimeOffset.UtcNow);
            OutputFormat output = OutputFormat.Parse(parse.GetValue(format), NetworkView.DefaultTable, "networks");
            List<NetworkRecord> selected = ContainerServices.Networks(context).List().Where(networkFilter.Matches).ToList();
            if (parse.GetValue(quiet))
            {
                selected.ForEach(n => context.Out.WriteLine(n.Name));
                return ExitCodes.Success;
            }

            if (output.IsJson)
            {
                context.Out.WriteLine(JsonOutput.Serialize(selected.Select(n => (object?)NetworkView.Inspect(n)).ToList(), indented: true));
                return ExitCodes.Success;
            }

            List<object?> rows = selected.Select(n => (object?)NetworkView.Row(n, parse.GetValue(noTrunc))).ToList();
            context.Out.Write(output.Render(rows, parse.GetValue(noHeading) ? null : TableHeader.Build(NetworkView.ListTypeName, NetworkView.ListFields, NetworkView.Titles)));
            return ExitCodes.Success;
        });
        return command;
    }
}
