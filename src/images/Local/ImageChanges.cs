using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;

namespace Skiff.Images.Local;

/// <summary>
/// Applies <c>--change</c> instructions (the Dockerfile subset docker import and podman import accept:
/// CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL) to an image's container config.
/// </summary>
public static class ImageChanges
{
    public static ContainerConfig Apply(ContainerConfig config, IEnumerable<string> changes)
    {
        foreach (string change in changes)
        {
            config = ApplyOne(config, change.Trim());
        }

        return config;
    }

    private static ContainerConfig ApplyOne(ContainerConfig config, string change)
    {
        int space = change.IndexOfAny([' ', '\t', '=']);
        string instruction = (space < 0 ? change : change[..space]).ToUpperInvariant();
        string value = space < 0 ? string.Empty : change[(space + 1)..].Trim();
        if (value.Length == 0)
        {
            throw Invalid(change, "missing a value");
        }

        switch (instruction)
        {
            case "CMD":
                return config with { Cmd = Command(value) };
            case "ENTRYPOINT":
                return config with { Entrypoint = Command(value) };
            case "ENV":
                var env = (config.Env ?? []).ToList();
                foreach ((string key, string v) in Pairs(change, value))
                {
                    env.RemoveAll(e => e == key || e.StartsWith(key + "=", StringComparison.Ordinal));
                    env.Add($"{key}={v}");
                }

                return config with { Env = env };
            case "LABEL":
                var labels = new Dictionary<string, string>(config.Labels ?? new Dictionary<string, string>());
                foreach ((string key, string v) in Pairs(change, value))
                {
                    labels[key] = v;
                }

                return config with { Labels = labels };
            case "EXPOSE":
                var ports = new Dictionary<string, EmptyObject>(config.ExposedPorts ?? new Dictionary<string, EmptyObject>());
                foreach (string port in value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    string[] parts = port.Split('/');
                    if (!ushort.TryParse(parts[0].Split('-')[0], out _) || parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("tcp" or "udp" or "sctp")))
                    {
                        throw Invalid(change, $"invalid port \"{port}\"");
                    }

                    ports[parts.Length == 2 ? port : port + "/tcp"] = new EmptyObject();
                }

                return config with { ExposedPorts = ports };
            case "VOLUME":
                var volumes = new Dictionary<string, EmptyObject>(config.Volumes ?? new Dictionary<string, EmptyObject>());
                foreach (string volume in value.StartsWith('[') ? Command(value) : value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    volumes[volume] = new EmptyObject();
                }

                return config with { Volumes = volumes };
            case "USER":
                return config with { User = value };
            case "WORKDIR":
                return config with { WorkingDir = value };
            case "STOPSIGNAL":
                return config with { StopSignal = value };
            default:
                throw Invalid(change, $"{instruction} is not one of CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL");
        }
    }

    /// <summary>JSON form (<c>["sh","-c","x"]</c>) as is; shell form wrapped in <c>/bin/sh -c</c>, as a Dockerfile does.</summary>
    private static IReadOnlyList<string> Command(string value)
    {
        if (value.StartsWith('['))
        {
            try
            {
                using JsonDocument document = JsonDocument.Parse(value);
                if (document.RootElement.ValueKind == JsonValueKind.Array && document.RootElement.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                {
                    return document.RootElement.EnumerateArray().Select(e => e.GetString()!).ToList();
                }
            }
            catch (JsonException)
            {
                // Not valid JSON: docker falls back to the shell form.
            }
        }

        return ["/bin/sh", "-c", value];
    }

    /// <summary><c>K=V K2="V 2"</c>, or the legacy single <c>K V</c> form.</summary>
    private static IEnumerable<(string Key, string Value)> Pairs(string change, string value)
    {
        if (!value.Contains('='))
        {
            int space = value.IndexOfAny([' ', '\t']);
            if (space < 0)
            {
                throw Invalid(change, "expected KEY=VALUE");
            }

            yield return (value[..space], value[(space + 1)..].Trim());
            yield break;
        }

        foreach (string word in SplitWords(value))
        {
            int equals = word.IndexOf('=');
            if (equals <= 0)
            {
                throw Invalid(change, $"expected KEY=VALUE, got \"{word}\"");
            }

            yield return (word[..equals], word[(equals + 1)..]);
        }
    }

    private static List<string> SplitWords(string value)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        char quote = '\0';
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < value.Length)
                {
                    current.Append(value[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is ' ' or '\t')
            {
                if (current.Length > 0)
                {
                    words.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private static SkiffException Invalid(string change, string why) =>
        SkiffException.InvalidArgument($"invalid change \"{change}\": {why}", "changes look like 'CMD [\"sh\"]', 'ENV KEY=VALUE', 'EXPOSE 80/tcp', 'WORKDIR /app'");
}
