namespace Skiff.Runtime.Mounts;

/// <summary>
/// A resolved location inside the container root. <see cref="Path"/> names it for mount(2)
/// (/proc/self/fd/N of an O_PATH descriptor, so no path is walked twice). Disposing closes it.
/// </summary>
public interface IMountTarget : IDisposable
{
    string Path { get; }
}
