namespace Skiff.Cli.Commands.Generate;

/// <summary>
/// What <see cref="NewContainerCommand"/> needs to know of a recorded create command's flags: where its image is, and
/// -d/--detach, --name, --replace, -e/--env, --sdnotify and --restart as given (the last one of each wins, as pflag's).
/// </summary>
public sealed class CreateFlags
{
    /// <summary>Index of the image in the arguments after the verb (their count when there is none).</summary>
    public int FirstPositional { get; private set; }

    public bool Detach { get; private set; }

    public bool NameGiven { get; private set; }

    public bool Replace { get; private set; }

    public string? SdNotify { get; private set; }

    public string? Restart { get; private set; }

    public List<string> Environment { get; } = [];

    /// <param name="arguments">The command after its verb (run or create).</param>
    /// <param name="takesValue">Whether a flag written without '=' takes the next argument as its value.</param>
    public static CreateFlags Scan(IReadOnlyList<string> arguments, Func<string, bool> takesValue)
    {
        var flags = new CreateFlags { FirstPositional = arguments.Count };
        for (int i = 0; i < arguments.Count; i++)
        {
            string token = arguments[i];
            if (token == "--")
            {
                flags.FirstPositional = i + 1;
                return flags;
            }

            if (!token.StartsWith('-') || token.Length == 1)
            {
                flags.FirstPositional = i;
                return flags;
            }

            int equals = token.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? token : token[..equals];
            string? value = equals < 0 ? null : token[(equals + 1)..];
            if (value is null && takesValue(token))
            {
                value = i + 1 < arguments.Count ? arguments[i + 1] : string.Empty;
                i++;
            }

            flags.Record(name, value);
        }

        return flags;
    }

    private void Record(string name, string? value)
    {
        switch (name)
        {
            case "-d" or "--detach":
                Detach = value is null || ParseBool(value);
                break;
            case "--name":
                NameGiven = true;
                break;
            case "--replace":
                Replace = value is null || ParseBool(value);
                break;
            case "-e" or "--env":
                Environment.Add(value ?? string.Empty);
                break;
            case "--sdnotify":
                SdNotify = value ?? string.Empty;
                break;
            case "--restart":
                Restart = value ?? string.Empty;
                break;
            default:
                // A bundle of short flags (-dit): d among them detaches.
                if (!name.StartsWith("--", StringComparison.Ordinal) && name.Length > 2 && name.Contains('d', StringComparison.Ordinal))
                {
                    Detach = true;
                }

                break;
        }
    }

    /// <summary>Go's strconv.ParseBool, as pflag reads a bool flag's value; anything else is false here (pflag would have refused it at create).</summary>
    private static bool ParseBool(string value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";
}
