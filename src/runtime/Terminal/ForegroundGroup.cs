using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Native;

namespace Skiff.Runtime.Terminal;

/// <summary>Whether this process belongs to the foreground process group of its controlling terminal.</summary>
public static class ForegroundGroup
{
    /// <summary>
    /// True when we have a controlling terminal and its foreground group is ours: then a ctrl-C or ctrl-\ typed there
    /// reached every process of the group, our children included, and a signal seen here needs no forwarding.
    /// </summary>
    public static bool OwnsControllingTerminal()
    {
        SafeFileHandle terminal;
        try
        {
            terminal = File.OpenHandle("/dev/tty", FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No controlling terminal (ENXIO): nothing can have been typed.
            return false;
        }

        using (terminal)
        {
            int group = Libc.tcgetpgrp((int)terminal.DangerousGetHandle());
            return group > 0 && group == Libc.getpgrp();
        }
    }
}
