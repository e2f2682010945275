namespace Skiff.Core.Errors;

/// <summary>
/// The one exception family skiff's libraries throw. <see cref="Kind"/> decides the exit code,
/// <see cref="Message"/> says what failed and why, <see cref="Hint"/> says what the user can do.
/// </summary>
public class SkiffException : Exception
{
    public SkiffException(ErrorKind kind, string message, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Hint = hint;
    }

    public ErrorKind Kind { get; }

    public string? Hint { get; }

    public static SkiffException InvalidArgument(string message, string? hint = null) => new(ErrorKind.InvalidArgument, message, hint);

    public static SkiffException NotFound(string message, string? hint = null) => new(ErrorKind.NotFound, message, hint);

    public static SkiffException Conflict(string message, string? hint = null) => new(ErrorKind.Conflict, message, hint);

    public static SkiffException AlreadyExists(string message, string? hint = null) => new(ErrorKind.AlreadyExists, message, hint);

    public static SkiffException PrerequisiteMissing(string message, string? hint = null) => new(ErrorKind.PrerequisiteMissing, message, hint);

    public static SkiffException Unavailable(string message, string? hint = null, Exception? inner = null) => new(ErrorKind.Unavailable, message, hint, inner);

    public static SkiffException Internal(string message, Exception? inner = null) => new(ErrorKind.Internal, message, null, inner);
}
