namespace Skiff.Core.Errors;

/// <summary>The category of a failure; the CLI maps each kind to an exit code and wording.</summary>
public enum ErrorKind
{
    InvalidArgument,
    NotFound,
    AlreadyExists,
    Conflict,
    PrerequisiteMissing,
    PermissionDenied,
    Unavailable,
    Internal,
    /// <summary>The container's command exists but cannot be executed (exit 126).</summary>
    CannotExecute,
    /// <summary>The container's command does not exist (exit 127).</summary>
    CommandNotFound,
}
