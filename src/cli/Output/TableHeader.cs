using System.Text;

namespace Skiff.Cli.Output;

/// <summary>
/// The header row of a <c>table</c> format: each field's column title, either given (<c>ID</c> → <c>IMAGE
/// ID</c>) or derived as docker and podman do, by splitting the camel-case name and upper-casing it
/// (<c>CreatedAt</c> → <c>CREATED AT</c>).
/// </summary>
public static class TableHeader
{
    public static TemplateObject Build(string typeName, IEnumerable<string> fields, IReadOnlyDictionary<string, string>? titles = null)
    {
        var header = new TemplateObject(typeName);
        foreach (string field in fields)
        {
            header[field] = titles is not null && titles.TryGetValue(field, out string? title) ? title : Derive(field);
        }

        return header;
    }

    public static string Derive(string field)
    {
        var builder = new StringBuilder(field.Length + 4);
        for (int i = 0; i < field.Length; i++)
        {
            char c = field[i];
            bool boundary = i > 0 && char.IsUpper(c)
                && (char.IsLower(field[i - 1]) || (i + 1 < field.Length && char.IsLower(field[i + 1]) && char.IsUpper(field[i - 1])));
            if (boundary)
            {
                builder.Append(' ');
            }

            builder.Append(char.ToUpperInvariant(c));
        }

        return builder.ToString();
    }
}
