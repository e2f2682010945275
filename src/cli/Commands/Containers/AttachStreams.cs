using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// run's <c>-a/--attach stdin|stdout|stderr</c> (repeatable, any case): the output streams shown in the foreground.
/// As podman 4.3, stdin follows -i whatever -a says (<c>-a stdin</c> without -i sends nothing), and the log keeps every stream.
/// </summary>
public sealed record AttachStreams(bool Stdout, bool Stderr)
{
    /// <summary>Null without the flag (all streams).</summary>
    public static AttachStreams? Parse(IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        bool stdout = false, stderr = false;
        foreach (string value in values)
        {
            switch (value.ToLowerInvariant())
            {
                case "stdout":
                    stdout = true;
                    break;
                case "stderr":
                    stderr = true;
                    break;
                case "stdin":
                    break;
                default:
                    throw SkiffException.InvalidArgument($"invalid stream \"{value}\" for --attach - must be one of stdin, stdout, or stderr", "use -a stdin, -a stdout or -a stderr, once each");
            }
        }

        return new AttachStreams(stdout, stderr);
    }
}
