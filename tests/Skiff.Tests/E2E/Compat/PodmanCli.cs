using System.Globalization;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Compat;

/// <summary>
/// Runs podman as the same user and in the same sandbox as a <see cref="SkiffCli"/>, with a store of its
/// own inside the sandbox (vfs, so nothing is mounted), for tests that compare skiff with podman or drive
/// skiff's runtime through podman and conmon. Dispose removes podman's containers and ends the rootless
/// pause process it started for this sandbox.
/// </summary>
public sealed class PodmanCli : IDisposable
{
    public const string Program = "/usr/bin/podman";

    private readonly SkiffCli skiff;

    /// <summary>
    /// Short paths outside the sandbox: podman refuses a --runroot longer than 50 characters, and with a
    /// store under the sandbox's long HOME rootless podman waits 20 s for every container's exit.
    /// </summary>
    private readonly string shortBase = "/tmp/skiff-podman-" + Guid.NewGuid().ToString("N")[..8];

    public PodmanCli(SkiffCli skiff)
    {
        if (!File.Exists(Program))
        {
            Assert.Fail($"{Program} is missing; tests/setup/deps.sh installs it (apt-get install podman)");
        }

        this.skiff = skiff;
    }

    /// <summary>
    /// Flags every podman run here needs: something lowers RLIMIT_NPROC before the runtime runs and
    /// runc then refuses podman's default rlimits, so both are given within the current hard limits.
    /// </summary>
    public static IReadOnlyList<string> UlimitFlags { get; } = ["--ulimit", $"nofile={HardNofile()}:{HardNofile()}", "--ulimit", "nproc=32768:32768"];

    public Task<ProcessResult> RunAsync(params string[] arguments) => skiff.ExecAsync(Program, [.. GlobalFlags(), .. arguments], stdin: null, TimeSpan.FromMinutes(2));

    /// <summary><c>podman import</c> of the same busybox rootfs tar that <see cref="SkiffCli.ImportBusyboxAsync"/> imports.</summary>
    public async Task<string> ImportBusyboxAsync(string name = "localhost/busybox:latest")
    {
        string tar = Path.Combine(skiff.Sandbox.Work, $"podman-busybox-{Guid.NewGuid():N}.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        (await RunAsync("import", "-q", tar, name)).AssertSuccess();
        File.Delete(tar);
        return name;
    }

    /// <summary>A script podman accepts as --runtime: skiff's built-in runtime behind the runc command line.</summary>
    public string WriteSkiffRuntimeWrapper()
    {
        string path = Path.Combine(skiff.Sandbox.Work, "skiff-oci-runtime");
        File.WriteAllText(path, $"#!/bin/sh\nexec '{skiff.Binary}' oci \"$@\"\n");
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
        return path;
    }

    public void Dispose()
    {
        try
        {
            RunAsync("rm", "-a", "-f", "-t", "0").GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Cleanup is best effort; the sandbox goes away anyway.
        }

        // Rootless podman leaves a pause process holding its user namespace, one per tmpdir.
        string? pauseFile = new[] { Path.Combine(shortBase, "tmp", "pause.pid"), Path.Combine(skiff.Sandbox.RuntimeDirectory, "libpod", "tmp", "pause.pid") }.FirstOrDefault(File.Exists);
        if (skiff.Rootless && pauseFile is not null
            && int.TryParse(File.ReadAllText(pauseFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 1)
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (Exception)
            {
                // Already gone.
            }
        }

        try
        {
            if (Directory.Exists(shortBase))
            {
                Directory.Delete(shortBase, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort, as the sandbox's own cleanup.
        }
    }

    private IReadOnlyList<string> GlobalFlags()
    {
        List<string> flags = ["--storage-driver", "vfs", "--events-backend", "file", "--cgroup-manager", "cgroupfs", "--log-level", "error"];
        flags.AddRange(["--root", Path.Combine(shortBase, "root"), "--runroot", Path.Combine(shortBase, "run"), "--tmpdir", Path.Combine(shortBase, "tmp")]);

        return flags;
    }

    private static string HardNofile()
    {
        foreach (string line in File.ReadLines("/proc/self/limits"))
        {
            if (line.StartsWith("Max open files", StringComparison.Ordinal))
            {
                return line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            }
        }

        return "1024";
    }
}
