using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// top's ps(1) fallback, as podman's execPS: <c>ps ARGS…</c> runs in the container through the exec path and its
/// stdout is printed line by line, without the lines that contain the arguments joined by spaces (podman's way of
/// leaving out the ps process itself). ps missing or failing is an engine error (125) with ps's stderr.
/// </summary>
public static class TopPsFallback
{
    private const int MaxOutput = 16 << 20;

    public static string Run(ContainerExecutor executor, IReadOnlyList<string> arguments)
    {
        (int code, string stdout, string stderr) result;
        try
        {
            result = executor.RunCollected(executor.Prepare(["ps", .. arguments], [], null, null, detach: false), MaxOutput);
        }
        catch (SkiffException e) when (e.Kind is ErrorKind.CommandNotFound or ErrorKind.CannotExecute)
        {
            throw new SkiffException(ErrorKind.Internal, "executing ps(1) in the container: " + e.Message, "the image has no usable ps; use top's descriptors (pid, user, args, …) instead");
        }

        if (result.code != 0)
        {
            throw new SkiffException(
                ErrorKind.Internal,
                $"executing ps(1) in the container: runtime failed with exit status: {result.code} and output: {string.Join(' ', Lines(result.stderr))}");
        }

        return Filter(arguments, result.stdout);
    }

    /// <summary>ps's output lines without those that contain the arguments as one string, each ended by a newline.</summary>
    public static string Filter(IReadOnlyList<string> arguments, string stdout)
    {
        string command = string.Join(' ', arguments);
        return string.Concat(Lines(stdout).Where(l => !l.Contains(command, StringComparison.Ordinal)).Select(l => l + "\n"));
    }

    /// <summary>Lines as Go's line scanner reads them: no empty last line after a final newline, no trailing CR.</summary>
    private static IEnumerable<string> Lines(string text)
    {
        string[] lines = text.Split('\n');
        return (text.Length == 0 || text.EndsWith('\n') ? lines[..^1] : lines).Select(l => l.TrimEnd('\r'));
    }
}
