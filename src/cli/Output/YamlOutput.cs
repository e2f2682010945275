using System.Collections;
using System.Text;

namespace Skiff.Cli.Output;

/// <summary>The YAML-ish layout podman uses for <c>info</c>: nested keys indented by two, lists as <c>- item</c>.</summary>
public static class YamlOutput
{
    public static string Serialize(TemplateObject value)
    {
        var output = new StringBuilder();
        WriteFields(output, value, 0);
        return output.ToString();
    }

    private static void WriteFields(StringBuilder output, IEnumerable<KeyValuePair<string, object?>> fields, int indent)
    {
        foreach ((string key, object? value) in fields)
        {
            output.Append(' ', indent).Append(key).Append(':');
            WriteValue(output, value, indent);
        }
    }

    private static void WriteValue(StringBuilder output, object? value, int indent)
    {
        switch (value)
        {
            case TemplateObject or TemplateMap:
                output.Append('\n');
                WriteFields(output, (IEnumerable<KeyValuePair<string, object?>>)value, indent + 2);
                break;
            case IList list when value is not string:
                if (list.Count == 0)
                {
                    output.Append(" []\n");
                    break;
                }

                output.Append('\n');
                foreach (object? item in list)
                {
                    if (item is TemplateObject obj)
                    {
                        bool first = true;
                        foreach ((string k, object? v) in obj)
                        {
                            output.Append(' ', indent).Append(first ? "- " : "  ").Append(k).Append(':');
                            WriteValue(output, v, indent + 2);
                            first = false;
                        }
                    }
                    else
                    {
                        output.Append(' ', indent).Append("- ").Append(GoValues.Print(item)).Append('\n');
                    }
                }

                break;
            case null or NilValue:
                output.Append(" null\n");
                break;
            default:
                string text = GoValues.Print(value);
                output.Append(text.Length == 0 ? " \"\"" : " " + text).Append('\n');
                break;
        }
    }
}
