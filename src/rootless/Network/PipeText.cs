using System.Text;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;

namespace Skiff.Rootless.Network;

/// <summary>What a helper wrote to its stderr pipe, read once the helper is gone.</summary>
public static class PipeText
{
    /// <summary>Reads what the pipe holds without waiting for more (the writer may still hold it open).</summary>
    public static string ReadAvailable(SafeFileHandle pipe)
    {
        Descriptors.SetNonBlocking(pipe);
        var text = new StringBuilder();
        byte[] chunk = new byte[4096];
        int n;
        while ((n = Descriptors.Read(pipe, chunk)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(chunk, 0, n));
        }

        return text.ToString();
    }
}
