using Skiff.Core.Errors;

namespace Skiff.Runtime.Process;

/// <summary>The container's program cannot be executed; the kind (127 vs 126) follows errno.</summary>
public sealed class ExecFailedException(string program, int errno, string message) : SkiffException(KindFor(errno), message)
{
    public string Program { get; } = program;

    public int Errno { get; } = errno;

    /// <summary>docker's convention: not found is 127, any other exec failure 126.</summary>
    public static ErrorKind KindFor(int errno) => errno == Errnos.ENOENT ? ErrorKind.CommandNotFound : ErrorKind.CannotExecute;
}
