namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// The command line of a create or run as the user typed it (podman's Config.CreateCommand). skiff's parser sees it
/// with a <c>--</c> put before the image (see <see cref="PassThroughArguments"/>), and a rootless command sees it so
/// again in its re-run inside skiff's user namespace: that <c>--</c> is taken out. One the user typed there goes too,
/// which changes nothing: the image ends the flags either way.
/// </summary>
public static class CreateCommandLine
{
    public static IReadOnlyList<string> Record(IReadOnlyList<string> commandLine, string image)
    {
        for (int i = 1; i + 1 < commandLine.Count; i++)
        {
            if (commandLine[i] == "--" && commandLine[i + 1] == image)
            {
                return [.. commandLine.Take(i), .. commandLine.Skip(i + 1)];
            }
        }

        return [.. commandLine];
    }
}
