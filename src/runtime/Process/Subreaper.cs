using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Process;

/// <summary>Makes this process the reaper of orphaned descendants, so it can wait for a container's init the entry stage forked.</summary>
public static class Subreaper
{
    public static void Become()
    {
        if (Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
        {
            throw new SystemCallException("prctl(PR_SET_CHILD_SUBREAPER)", null, Marshal.GetLastPInvokeError());
        }
    }
}
