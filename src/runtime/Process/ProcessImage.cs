using System.Runtime.InteropServices;
using System.Text;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Process;

/// <summary>Replaces the running program with another one in the same process (execve(2)).</summary>
public static unsafe class ProcessImage
{
    /// <summary>Runs <paramref name="path"/> in place of this program; returns only by throwing.</summary>
    public static void Replace(string path, IReadOnlyList<string> arguments, IEnumerable<string> environment)
    {
        byte[] file = CString(path);
        int errno = TryExec(file, [file, .. arguments.Select(CString)], [.. environment.Select(CString)]);
        throw new SystemCallException("execve", path, errno);
    }

    /// <summary>execve(2) with NUL-terminated UTF-8 strings; returns the errno when it fails.</summary>
    internal static int TryExec(byte[] path, byte[][] argv, byte[][] envp)
    {
        var handles = new List<GCHandle>();
        try
        {
            byte** args = Pin(argv, handles);
            byte** env = Pin(envp, handles);
            fixed (byte* p = path)
            {
                Libc.execve(p, args, env);
                return Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            foreach (GCHandle handle in handles)
            {
                handle.Free();
            }
        }
    }

    /// <summary>This process's environment as NAME=VALUE strings.</summary>
    public static List<string> CurrentEnvironment() =>
        [.. Environment.GetEnvironmentVariables().Keys.Cast<string>().Select(name => name + "=" + Environment.GetEnvironmentVariable(name))];

    private static byte** Pin(byte[][] items, List<GCHandle> handles)
    {
        var array = new IntPtr[items.Length + 1];
        for (int i = 0; i < items.Length; i++)
        {
            GCHandle handle = GCHandle.Alloc(items[i], GCHandleType.Pinned);
            handles.Add(handle);
            array[i] = handle.AddrOfPinnedObject();
        }

        GCHandle arrayHandle = GCHandle.Alloc(array, GCHandleType.Pinned);
        handles.Add(arrayHandle);
        return (byte**)arrayHandle.AddrOfPinnedObject();
    }

    /// <summary>A NUL-terminated UTF-8 copy of <paramref name="text"/>.</summary>
    internal static byte[] CString(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }
}
