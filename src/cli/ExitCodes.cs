using Skiff.Core.Errors;

namespace Skiff.Cli;

/// <summary>docker's and podman's exit status contract (podman-run(1), "Exit Status").</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>podman's code for a listing watched until SIGINT (<c>ps --watch</c>).</summary>
    public const int Interrupted = 1;

    /// <summary>The error is with skiff itself: a bad flag, an unknown image, a failed pull.</summary>
    public const int EngineError = 125;

    /// <summary>The contained command cannot be invoked (permission, not executable).</summary>
    public const int CannotExecute = 126;

    /// <summary>The contained command cannot be found.</summary>
    public const int CommandNotFound = 127;

    /// <summary>podman's exec when its attached session cannot be created (the container is not running).</summary>
    public const int ExecSessionFailed = 255;

    public static int For(ErrorKind kind) => kind switch
    {
        ErrorKind.CannotExecute => CannotExecute,
        ErrorKind.CommandNotFound => CommandNotFound,
        _ => EngineError,
    };

    /// <summary>128 + N when the container was killed by signal N.</summary>
    public static int ForSignal(int signal) => 128 + signal;
}
