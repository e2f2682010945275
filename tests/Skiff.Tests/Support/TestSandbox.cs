using System.Diagnostics;
using System.Globalization;

namespace Skiff.Tests.Support;

/// <summary>
/// Private directories for one test (or one fixture that wants a shared store): skiff's store and
/// runtime state, HOME and the XDG directories, all owned by the user skiff runs as, so tests never
/// share a store by accident and never touch the machine's real one.
/// </summary>
public sealed class TestSandbox : IDisposable
{
    /// <summary>Parent of all sandboxes; world-traversable so the rootless test user reaches its own.</summary>
    public const string BaseDirectory = "/tmp/skiff-tests";

    private TestSandbox(string path, TestUser? user)
    {
        Path = path;
        User = user;
    }

    /// <summary>The rootless user owning this sandbox; null when skiff runs as root.</summary>
    public TestUser? User { get; }

    public bool Rootless => User is not null;

    public string Path { get; }

    public string Home => System.IO.Path.Combine(Path, "home");

    public string ConfigHome => System.IO.Path.Combine(Path, "home", ".config");

    public string DataHome => System.IO.Path.Combine(Path, "home", ".local", "share");

    /// <summary>XDG_RUNTIME_DIR (mode 0700, as pam_systemd makes it).</summary>
    public string RuntimeDirectory => System.IO.Path.Combine(Path, "run");

    /// <summary>Where skiff keeps images and containers: --root as root, $XDG_DATA_HOME/skiff rootless.</summary>
    public string StorageRoot => Rootless ? System.IO.Path.Combine(DataHome, "skiff") : System.IO.Path.Combine(Path, "root");

    /// <summary>skiff's runtime state: --runroot as root, $XDG_RUNTIME_DIR/skiff rootless.</summary>
    public string RunRoot => Rootless ? System.IO.Path.Combine(RuntimeDirectory, "skiff") : System.IO.Path.Combine(Path, "runroot");

    /// <summary>Scratch space the test and skiff's user can both read and write (archives, layouts, contexts).</summary>
    public string Work => System.IO.Path.Combine(Path, "work");

    public static TestSandbox Create(bool rootless)
    {
        TestUser? user = rootless ? TestEnvironment.RootlessUser() : null;
        Directory.CreateDirectory(BaseDirectory);
        if (TestEnvironment.IsRoot)
        {
            File.SetUnixFileMode(BaseDirectory, (UnixFileMode)Convert.ToInt32("1777", 8));
        }

        string path = System.IO.Path.Combine(BaseDirectory, $"{(rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..24]);
        var sandbox = new TestSandbox(path, user);
        foreach (string dir in new[] { sandbox.Path, sandbox.Home, sandbox.ConfigHome, sandbox.DataHome, sandbox.Work, sandbox.RuntimeDirectory })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)Convert.ToInt32("755", 8));
        }

        File.SetUnixFileMode(sandbox.RuntimeDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (user is not null && !user.RunsAsSelf)
        {
            RunChecked("chown", "-R", $"{user.Uid.ToString(CultureInfo.InvariantCulture)}:{user.Gid.ToString(CultureInfo.InvariantCulture)}", path);
        }

        return sandbox;
    }

    /// <summary>
    /// Environment for programs run in this sandbox: a fixed PATH, HOME and XDG directories pointing
    /// inside it, and nothing inherited from the test process.
    /// </summary>
    public Dictionary<string, string> Environment()
    {
        Dictionary<string, string> environment = BaseEnvironment();
        foreach (string name in (string[])["SKIFF_MONITOR_IDLE_AFTER_MS", "SKIFF_MONITOR_NO_RELAY", "SKIFF_HELPER_BINARIES_DIR"])
        {
            // The monitor's knobs, so a whole test run can cover the relay (or the monitor alone), and which
            // pasta skiff runs (SKIFF_HELPER_BINARIES_DIR= : the system pasta, not tests/setup/passt.sh's build).
            if (System.Environment.GetEnvironmentVariable(name) is { } value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    private Dictionary<string, string> BaseEnvironment() => new()
    {
        ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ["HOME"] = Home,
        ["USER"] = User?.Name ?? "root",
        ["LOGNAME"] = User?.Name ?? "root",
        ["XDG_CONFIG_HOME"] = ConfigHome,
        ["XDG_DATA_HOME"] = DataHome,
        ["XDG_RUNTIME_DIR"] = RuntimeDirectory,
        ["TMPDIR"] = "/tmp",
        ["LANG"] = "C.UTF-8",
    };

    /// <summary>Set SKIFF_TEST_KEEP=1 to keep sandboxes for a post-mortem.</summary>
    public void Dispose()
    {
        if (System.Environment.GetEnvironmentVariable("SKIFF_TEST_KEEP") == "1")
        {
            return;
        }

        try
        {
            StopUserNamespaceHolder();
            if (TestEnvironment.IsRoot)
            {
                RemoveContainers();
                RemoveNetworks();
                UnmountEverythingUnder(Path);
                Run("rm", "-rf", "--one-file-system", Path);
            }
            else
            {
                // Rootless stores hold files owned by subordinate ids; only skiff's user namespace can remove them.
                if (File.Exists(TestEnvironment.SkiffBinary) && Directory.Exists(StorageRoot))
                {
                    Run(TestEnvironment.SkiffBinary, "unshare", "rm", "-rf", StorageRoot);
                    StopUserNamespaceHolder();
                }

                Run("rm", "-rf", Path);
            }
        }
        catch (Exception)
        {
            // Cleanup is best effort: a leftover directory in /tmp must not turn a passing test red.
        }
    }

    /// <summary>
    /// A root store's networks own bridges (and DNS servers) in the host's namespace, which deleting the store
    /// would leave behind: a test that ends without `network rm` has skiff remove them.
    /// </summary>
    private void RemoveNetworks()
    {
        string networks = System.IO.Path.Combine(StorageRoot, "networks");
        if (Rootless || !Directory.Exists(networks) || !File.Exists(TestEnvironment.SkiffBinary))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(networks, "*.json"))
        {
            Run(TestEnvironment.SkiffBinary, "--root", StorageRoot, "--runroot", RunRoot, "network", "rm", "-f", System.IO.Path.GetFileNameWithoutExtension(file));
        }
    }

    /// <summary>
    /// Containers a test left (it failed before its `rm`, or never needed one) have monitors, cgroups and
    /// mounts in the host's namespaces, which deleting the store would leave behind for good (a monitor whose
    /// store is gone cannot remove its container's cgroup): skiff removes them first.
    /// </summary>
    private void RemoveContainers()
    {
        string containers = System.IO.Path.Combine(StorageRoot, "containers");
        if (Rootless || !File.Exists(TestEnvironment.SkiffBinary) || !Directory.Exists(containers)
            || !Directory.EnumerateDirectories(containers).Any(d => System.IO.Path.GetFileName(d).Length == 64))
        {
            return;
        }

        Run(TestEnvironment.SkiffBinary, "--root", StorageRoot, "--runroot", RunRoot, "rm", "-a", "-f", "-t", "0");
    }

    /// <summary>Where a rootless skiff records its user namespace's holder (pause process) in this sandbox.</summary>
    public string UserNamespaceHolderFile => System.IO.Path.Combine(RuntimeDirectory, "skiff", "pause.pid");

    /// <summary>
    /// Each rootless sandbox has its own XDG_RUNTIME_DIR and so its own holder, which would outlive the test:
    /// kill it (only when /proc says it is skiff's holder, so a recycled pid is never hit).
    /// </summary>
    private void StopUserNamespaceHolder()
    {
        if (!Rootless || !File.Exists(UserNamespaceHolderFile))
        {
            return;
        }

        string first = File.ReadLines(UserNamespaceHolderFile).FirstOrDefault() ?? string.Empty;
        if (int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            && File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "skiff-pause")
        {
            Run("kill", "-9", pid.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void UnmountEverythingUnder(string path)
    {
        string prefix = path + "/";
        // Deepest first, so stacked mounts come off in order.
        List<string> mounts = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(fields => fields.Length > 4)
            .Select(fields => UnescapeMountPath(fields[4]))
            .Where(mountPoint => mountPoint == path || mountPoint.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(mountPoint => mountPoint.Length)
            .ToList();
        foreach (string mountPoint in mounts)
        {
            Run("umount", "-l", mountPoint);
        }
    }

    private static string UnescapeMountPath(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);

    private static int Run(string program, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            return -1;
        }

        return process.ExitCode;
    }

    private static void RunChecked(string program, params string[] arguments)
    {
        int code = Run(program, arguments);
        if (code != 0)
        {
            Assert.Fail($"{program} {string.Join(' ', arguments)} failed with exit code {code}");
        }
    }
}
