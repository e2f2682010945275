using System.Runtime.InteropServices;

namespace Skiff.Runtime.Native;

/// <summary>pthread_create(3) and pthread_detach(3): threads the starting thread does not wait for (see Threading.BackgroundThread).</summary>
internal static unsafe partial class Libc
{
    /// <returns>0, or the error number (pthreads do not set errno).</returns>
    [LibraryImport("libc")]
    public static partial int pthread_create(nuint* thread, void* attributes, delegate* unmanaged<nint, nint> start, nint argument);

    [LibraryImport("libc")]
    public static partial int pthread_detach(nuint thread);
}
