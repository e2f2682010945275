using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Fds;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's <c>--preserve-fds N</c> (run and exec): this command's descriptors 3 to 2+N are the process's 3 to 2+N.
/// Each must be open here (podman's check), so a typo does not hand the container one of skiff's own.
/// </summary>
public static class PreserveFdsFlag
{
    public const string Name = "--preserve-fds";

    /// <summary>More than a process may hold open by default (RLIMIT_NOFILE 1024) cannot all be open.</summary>
    private const uint Most = 1 << 20;

    public static Option<string?> Create() => new(Name) { Description = "Pass N additional file descriptors (3 and up) to the process" };

    /// <summary>N, checked: a Go uint whose descriptors 3 to 2+N are all open here; 0 without the flag.</summary>
    public static int Parse(string? value)
    {
        int count = value is null ? 0 : (int)Flags.UnsignedFlag.Parse(Name, value, Most);
        for (int fd = 3; fd < 3 + count; fd++)
        {
            if (!Descriptors.IsInherited(fd))
            {
                throw SkiffException.InvalidArgument(
                    $"file descriptor {fd} is not available - the preserve-fds option requires that file descriptors must be passed",
                    $"open descriptors 3 to {2 + count} for skiff, e.g. `3<FILE`, or pass fewer");
            }
        }

        return count;
    }

    /// <summary>
    /// How many descriptors from 3 up a re-run of this command (rootless, in skiff's user namespace) must get for the
    /// flag's value: as many as are open of those it names. A bad value passes none, and the re-run reports it.
    /// </summary>
    public static int ToPassOn(string? value)
    {
        if (value is null || !Flags.UnsignedFlag.TryParse(value, out ulong count) || count > Most)
        {
            return 0;
        }

        int open = 0;
        while (open < (int)count && Descriptors.IsInherited(3 + open))
        {
            open++;
        }

        return open;
    }
}
