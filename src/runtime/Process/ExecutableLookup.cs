using Skiff.Core.Errors;

namespace Skiff.Runtime.Process;

/// <summary>
/// Finds the container's program as execvp would, inside the (already pivoted) root, before the
/// container is started: a missing program fails `create` with ENOENT (exit 127), a non-executable
/// one with EACCES (126), decided by errno and never by message text.
/// </summary>
public static class ExecutableLookup
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static string Resolve(string program, IEnumerable<string> environment)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            int errno = Check(program);
            return errno == 0 ? program : throw Failure(program, errno);
        }

        string path = SearchPath(environment);
        int firstError = Errnos.ENOENT;
        foreach (string directory in path.Split(':'))
        {
            string candidate = Path.Combine(directory.Length == 0 ? "." : directory, program);
            int errno = Check(candidate);
            if (errno == 0)
            {
                return candidate;
            }

            if (errno == Errnos.EACCES && firstError == Errnos.ENOENT)
            {
                firstError = Errnos.EACCES;
            }
        }

        throw Failure(program, firstError);
    }

    // A loop, not Where(...).Select(...): LINQ's Select on a Where iterator is a generic virtual method, which
    // NativeAOT resolves through its type loader on the first call (~1 ms of the container init's start, perf).
    private static string SearchPath(IEnumerable<string> environment)
    {
        string? path = null;
        foreach (string variable in environment)
        {
            if (variable.StartsWith("PATH=", StringComparison.Ordinal))
            {
                path = variable[5..];
            }
        }

        return path ?? DefaultPath;
    }

    public static ExecFailedException Failure(string program, int errno) => errno == Errnos.ENOENT
        ? new ExecFailedException(program, errno, $"executable file `{program}` not found in $PATH: No such file or directory")
        : new ExecFailedException(program, errno, $"cannot execute `{program}`: {Errnos.Describe(errno)}");

    private static int Check(string path)
    {
        var info = new FileInfo(path);
        if (Directory.Exists(path))
        {
            return Errnos.EACCES;
        }

        if (!info.Exists)
        {
            return Errnos.ENOENT;
        }

        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (info.UnixFileMode & AnyExecute) == 0 ? Errnos.EACCES : 0;
    }
}
