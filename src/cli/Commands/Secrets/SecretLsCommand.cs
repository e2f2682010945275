using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Output;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Secrets;

/// <summary><c>skiff secret ls [-q] [--noheading] [--filter name=|id=] [--format T]</c></summary>
public static class SecretLsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter secret output (name=NAME, id=ID)" };
        var format = new Option<string?>("--format") { Description = "Format secret output using a Go template, 'table TEMPLATE' or 'json'" };
        var noHeading = new Option<bool>("--noheading") { Description = "Do not print headers" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print secret IDs only" };
        var command = new Command("ls", "List secrets") { filter, format, noHeading, quiet };
        command.Aliases.Add("list");
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            SecretFilter secretFilter = SecretFilter.Parse(parse.GetValue(filter) ?? []);
            OutputFormat output = OutputFormat.Parse(parse.GetValue(format), SecretView.DefaultTable, "secrets");
            List<SecretRecord> selected = ContainerServices.Secrets(context).List().Where(secretFilter.Matches).ToList();
            if (parse.GetValue(quiet))
            {
                selected.ForEach(s => context.Out.WriteLine(s.Id));
                return ExitCodes.Success;
            }

            DateTimeOffset now = DateTimeOffset.UtcNow;
            List<object?> rows = selected.Select(s => (object?)SecretView.Row(s, now)).ToList();
            if (output.IsJson)
            {
                context.Out.WriteLine(JsonOutput.Serialize(rows, indented: true));
                return ExitCodes.Success;
            }

            // podman's tabwriter (minimum width 12, padding 2): secrets are podman's alone.
            context.Out.Write(output.Render(rows, parse.GetValue(noHeading) ? null : TableHeader.Build(SecretView.RowTypeName, SecretView.RowFields, SecretView.Titles), TabWriter.Podman()));
            return ExitCodes.Success;
        });
        return command;
    }
}
