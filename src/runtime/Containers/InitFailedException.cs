using Skiff.Core.Errors;

namespace Skiff.Runtime.Containers;

/// <summary>The container's init failed during setup; <see cref="Errno"/> is the failing call's errno (0 if none).</summary>
public sealed class InitFailedException(ErrorKind kind, string message, int errno) : SkiffException(kind, message)
{
    public int Errno { get; } = errno;
}
