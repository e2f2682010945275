using Skiff.Cli.Flags;
using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// docker's -e and --env-file: KEY=VALUE, or KEY alone to copy the variable from skiff's environment; podman's
/// --env-host puts all of skiff's environment first. A later variable of the same name wins.
/// </summary>
public static class EnvironmentFlags
{
    public static IReadOnlyList<string> Collect(IEnumerable<string> flags, IEnumerable<string> files, bool host = false)
    {
        var result = new List<string>();
        if (host)
        {
            foreach (global::System.Collections.DictionaryEntry variable in Environment.GetEnvironmentVariables())
            {
                Add(result, $"{variable.Key}={variable.Value}");
            }
        }

        foreach (string line in KeyValueFlags.ReadFiles(files, "--env-file", l => l.TrimStart(), f => $"parsing env file \"{f}\""))
        {
            Add(result, line);
        }

        foreach (string flag in flags)
        {
            Add(result, flag);
        }

        return result;
    }

    private static void Add(List<string> result, string entry)
    {
        int equals = entry.IndexOf('=');
        if (equals == 0)
        {
            throw SkiffException.InvalidArgument($"invalid environment variable: {entry}");
        }

        if (equals < 0)
        {
            string? value = Environment.GetEnvironmentVariable(entry);
            if (value is null)
            {
                return;
            }

            entry = $"{entry}={value}";
            equals = entry.IndexOf('=');
        }

        string key = entry[..(equals + 1)];
        result.RemoveAll(e => e.StartsWith(key, StringComparison.Ordinal));
        result.Add(entry);
    }
}
