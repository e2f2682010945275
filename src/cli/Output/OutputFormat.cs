using System.Text;
using Skiff.Cli.Output.Templates;

namespace Skiff.Cli.Output;

/// <summary>
/// A parsed <c>--format</c> value, as docker and podman read it: empty or <c>table</c> → the command's
/// default table; <c>json</c> → the command's JSON; <c>table TEMPLATE</c> → a header row plus one row per
/// item, aligned like docker's tabwriter; any other text → a Go template executed once per item.
/// <c>\t</c> and <c>\n</c> written literally on the command line become tab and newline.
/// </summary>
public sealed class OutputFormat
{
    private readonly GoTemplate? template;

    private OutputFormat(bool isJson, bool isTable, GoTemplate? template)
    {
        IsJson = isJson;
        IsTable = isTable;
        this.template = template;
    }

    public bool IsJson { get; }

    public bool IsTable { get; }

    /// <param name="format">The user's --format value, or null.</param>
    /// <param name="defaultTable">The command's default, e.g. <c>table {{.Repository}}\t{{.Tag}}</c>.</param>
    /// <param name="name">The template's name in error messages (docker uses the verb).</param>
    /// <exception cref="TemplateException">The template does not parse.</exception>
    public static OutputFormat Parse(string? format, string defaultTable, string name)
    {
        string text = string.IsNullOrWhiteSpace(format) || format.Trim() == "table" ? defaultTable : format;
        if (format?.Trim() == "json")
        {
            return new OutputFormat(isJson: true, isTable: false, template: null);
        }

        bool isTable = text.StartsWith("table", StringComparison.Ordinal);
        if (isTable)
        {
            text = text["table".Length..];
        }

        text = text.Trim(' ').Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
        return new OutputFormat(isJson: false, isTable: isTable, GoTemplate.Parse(name, text));
    }

    /// <summary>Renders every row (and for tables the header first, then aligns the columns).</summary>
    /// <param name="header">The row's fields mapped to their column titles, from <see cref="TableHeader"/>; null prints no header row (podman's <c>--noheading</c>).</param>
    /// <param name="table">The alignment (docker's unless given).</param>
    public string Render(IEnumerable<object?> rows, TemplateObject? header, TabWriter? table = null)
    {
        if (template is null)
        {
            throw new InvalidOperationException("JSON output is rendered by the command");
        }

        var output = new StringBuilder();
        if (IsTable && header is not null)
        {
            var headerLine = new StringBuilder();
            template.Execute(headerLine, header, headerMode: true);
            output.Append(headerLine).Append('\n');
        }

        foreach (object? row in rows)
        {
            int start = output.Length;
            template.Execute(output, row);
            if (output.Length == start || output[^1] != '\n')
            {
                output.Append('\n');
            }
        }

        if (!IsTable)
        {
            return output.ToString();
        }

        table ??= TabWriter.Docker();
        table.Write(output.ToString());
        return table.Flush();
    }

    /// <summary>
    /// inspect --format over several objects, as podman: every object goes through the template before anything
    /// is printed, and a failure is worded <c>inspecting object: printing inspect output: template: …</c>.
    /// </summary>
    /// <exception cref="TemplateException">The template failed on one of the objects.</exception>
    public string RenderInspect(IEnumerable<object?> items)
    {
        var text = new StringBuilder();
        try
        {
            foreach (object? item in items)
            {
                text.Append(RenderOne(item));
            }
        }
        catch (TemplateException e)
        {
            throw new TemplateException("inspecting object: printing inspect output: " + e.Message);
        }

        return text.ToString();
    }

    /// <summary>Executes the template on a single value with no table or trailing-newline handling (inspect --format).</summary>
    public string RenderOne(object? value)
    {
        var output = new StringBuilder();
        template!.Execute(output, value);
        if (output.Length == 0 || output[^1] != '\n')
        {
            output.Append('\n');
        }

        return output.ToString();
    }
}
