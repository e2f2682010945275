using System.Diagnostics;
using System.Globalization;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Containers;

/// <summary>
/// An exploded root filesystem made of busybox-static and one symlink per applet, owned by the sandbox's
/// user (the runtime creates mount points in it), for container tests that need no image.
/// </summary>
public static class BusyboxRootfs
{
    /// <param name="populate">Adds files to the root (its path) before it is given to the sandbox's user.</param>
    public static string Create(TestSandbox sandbox, Action<string>? populate = null)
    {
        string rootfs = Path.Combine(sandbox.Work, "rootfs");
        string bin = Path.Combine(rootfs, "bin");
        Directory.CreateDirectory(bin);
        File.Copy("/bin/busybox", Path.Combine(bin, "busybox"));
        File.SetUnixFileMode(Path.Combine(bin, "busybox"), (UnixFileMode)Convert.ToInt32("755", 8));
        using (var list = Process.Start(new ProcessStartInfo("/bin/busybox", "--list") { RedirectStandardOutput = true })!)
        {
            foreach (string applet in list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (applet != "busybox")
                {
                    File.CreateSymbolicLink(Path.Combine(bin, applet), "busybox");
                }
            }

            list.WaitForExit();
        }

        foreach (string dir in new[] { "proc", "sys", "dev", "etc", "tmp", "root" })
        {
            Directory.CreateDirectory(Path.Combine(rootfs, dir));
        }

        File.WriteAllText(Path.Combine(rootfs, "etc", "notexec"), "#!/bin/sh\necho never\n");
        File.SetUnixFileMode(Path.Combine(rootfs, "tmp"), (UnixFileMode)Convert.ToInt32("1777", 8));
        populate?.Invoke(rootfs);
        if (sandbox.User is { RunsAsSelf: false } user)
        {
            using var chown = Process.Start("chown", ["-R", $"{user.Uid.ToString(CultureInfo.InvariantCulture)}:{user.Gid.ToString(CultureInfo.InvariantCulture)}", rootfs])!;
            chown.WaitForExit();
        }

        return rootfs;
    }
}
