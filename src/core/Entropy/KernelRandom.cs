using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Core.Native;

namespace Skiff.Core.Entropy;

/// <summary>
/// Random bytes from getrandom(2). .NET's RandomNumberGenerator loads and initialises OpenSSL (libssl,
/// libcrypto, openssl.cnf) on first use: several milliseconds at every `run`/`create`, for 32 bytes of id.
/// </summary>
public static class KernelRandom
{
    public static byte[] GetBytes(int count)
    {
        byte[] buffer = new byte[count];
        Fill(buffer);
        return buffer;
    }

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public static int GetInt32(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        uint limit = uint.MaxValue - (uint.MaxValue % (uint)maxExclusive);
        Span<byte> bytes = stackalloc byte[4];
        while (true)
        {
            Fill(bytes);
            uint value = BitConverter.ToUInt32(bytes);
            if (value < limit)
            {
                return (int)(value % (uint)maxExclusive);
            }
        }
    }

    public static unsafe void Fill(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = Libc.getrandom(start + done, (nuint)(buffer.Length - done), 0);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == 4)
                    {
                        continue; // EINTR
                    }

                    throw new SystemCallException("getrandom", null, errno);
                }

                done += (int)n;
            }
        }
    }
}
