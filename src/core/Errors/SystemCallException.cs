namespace Skiff.Core.Errors;

/// <summary>A failed system call: the operation, the path it was about (if any) and errno.</summary>
public sealed class SystemCallException : SkiffException
{
    public SystemCallException(string operation, string? path, int errno, string? hint = null)
        : base(KindFor(errno), Describe(operation, path, errno), hint)
    {
        Operation = operation;
        Path = path;
        Errno = errno;
    }

    public string Operation { get; }

    public string? Path { get; }

    public int Errno { get; }

    private static string Describe(string operation, string? path, int errno)
    {
        string reason = Errnos.Describe(errno);
        return path is null ? $"{operation}: {reason}" : $"{operation} {path}: {reason}";
    }

    private static ErrorKind KindFor(int errno) => errno switch
    {
        Errnos.ENOENT => ErrorKind.NotFound,
        Errnos.EEXIST => ErrorKind.AlreadyExists,
        Errnos.EPERM or Errnos.EACCES => ErrorKind.PermissionDenied,
        Errnos.EINVAL => ErrorKind.InvalidArgument,
        _ => ErrorKind.Internal,
    };
}
