namespace Skiff.Cli.Flags;

/// <summary>Repeated <c>KEY=VALUE</c> flags (<c>--label</c>, <c>--opt</c>) as a map: a bare KEY has an empty value, a later KEY wins.</summary>
public static class KeyValueFlags
{
    public static Dictionary<string, string> Parse(string[] values)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            string[] parts = value.Split('=', 2);
            result[parts[0]] = parts.Length == 2 ? parts[1] : string.Empty;
        }

        return result;
    }
}
