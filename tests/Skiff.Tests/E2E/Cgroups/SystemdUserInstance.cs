using System.Diagnostics;
using System.Globalization;
using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Cgroups;

/// <summary>
/// A real systemd user manager (the distribution's /lib/systemd/systemd --user, with its own D-Bus daemon
/// started through dbus.socket) for the sandbox's rootless user, on a machine not booted with systemd and
/// with hybrid cgroups. Everything happens in a private mount namespace held by a sleeping process:
/// /sys/fs/cgroup there is the cgroup2 hierarchy alone (the v1 mounts are gone, so it looks unified),
/// /run/systemd/system exists (what sd_booted() and skiff test), and a cgroup below the v2 root is
/// delegated to the user, the way systemd-logind's user@UID.service gets one. Commands run in that
/// namespace, in that cgroup, as the user: systemd may move their processes into scopes, as it could on
/// a real machine. The v2 hierarchy has no controllers here (they are bound to v1), so limits stay refused.
/// </summary>
internal sealed class SystemdUserInstance : IAsyncDisposable
{
    private const string Systemd = "/lib/systemd/systemd";

    private readonly TestSandbox _sandbox;
    private readonly ITestOutputHelper _output;
    private readonly Process _holder;
    private Process? _manager;

    private SystemdUserInstance(TestSandbox sandbox, ITestOutputHelper output, Process holder, string group)
    {
        _sandbox = sandbox;
        _output = output;
        _holder = holder;
        Group = group;
    }

    /// <summary>The delegated group, relative to the cgroup2 root (the host has that root at /sys/fs/cgroup/unified).</summary>
    public string Group { get; }

    public static async Task<SystemdUserInstance> StartAsync(TestSandbox sandbox, ITestOutputHelper output)
    {
        TestUser user = sandbox.User ?? throw new InvalidOperationException("a systemd user instance needs a rootless sandbox");
        Assert.True(File.Exists(Systemd), $"{Systemd} is missing: tests/setup/deps.sh installs systemd");
        Assert.True(Directory.Exists("/sys/fs/cgroup/unified") || File.Exists("/sys/fs/cgroup/cgroup.controllers"), "no cgroup2 hierarchy is mounted");

        string group = "skiff-test-systemd-" + Guid.NewGuid().ToString("N")[..8];
        // In the namespace: only cgroup2 at /sys/fs/cgroup, systemd's boot marker on a tmpfs, the group
        // delegated as systemd's delegation does (the directory and its procs/subtree/threads files).
        string setup = string.Join(
            " && ",
            "umount -R -l /sys/fs/cgroup",
            "mount -t cgroup2 none /sys/fs/cgroup",
            "mkdir -p /run/systemd",
            "mount -t tmpfs -o mode=755 none /run/systemd",
            "mkdir /run/systemd/system",
            $"mkdir /sys/fs/cgroup/{group}",
            $"chown {user.Uid} /sys/fs/cgroup/{group} /sys/fs/cgroup/{group}/cgroup.procs /sys/fs/cgroup/{group}/cgroup.subtree_control /sys/fs/cgroup/{group}/cgroup.threads",
            "echo ready",
            "exec sleep infinity");
        var start = new ProcessStartInfo("unshare", ["-m", "--propagation", "private", "--", "sh", "-c", setup])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process holder = Process.Start(start) ?? throw new InvalidOperationException("cannot start unshare");
        var instance = new SystemdUserInstance(sandbox, output, holder, group);
        string? line = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (line != "ready")
        {
            string error = await holder.StandardError.ReadToEndAsync();
            await instance.DisposeAsync();
            Assert.Fail($"the namespace for systemd could not be set up: {error}");
        }

        await instance.StartManagerAsync(user);
        return instance;
    }

    /// <summary>Runs PROGRAM ARGS in the namespace and the delegated group, as the sandbox's user with its environment.</summary>
    public Task<ProcessResult> RunAsync(string program, params string[] arguments) =>
        TestProcess.RunAsync(new ProcessSpec("nsenter", [.. InNamespace(), .. AsUser(program, arguments)]) { Timeout = TimeSpan.FromSeconds(90) }, _output);

    /// <summary>skiff ARGS as the user, inside.</summary>
    public Task<ProcessResult> SkiffAsync(params string[] arguments) => RunAsync(TestEnvironment.RequireSkiffBinary(), arguments);

    public async ValueTask DisposeAsync()
    {
        // The user's namespace holder was started in the delegated group by the first command: stop it,
        // or the group cannot be removed.
        if (!_holder.HasExited)
        {
            await SkiffAsync("system", "migrate");
        }

        if (_manager is { HasExited: false })
        {
            // SIGTERM (runuser passes it on): systemd stops its units, their processes and its bus, then exits.
            using (Process? kill = Process.Start("kill", ["-TERM", _manager.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                kill?.WaitForExit();
            }

            try
            {
                await _manager.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                _manager.Kill(entireProcessTree: true);
            }
        }

        if (!_holder.HasExited)
        {
            _holder.Kill();
            await _holder.WaitForExitAsync();
        }

        // A group stays populated until its last task has fully exited (systemd's children, the holder's
        // sleep): try for a while.
        string directory = Path.Combine("/sys/fs/cgroup/unified", Group);
        for (int attempt = 0; attempt < 50 && Directory.Exists(directory); attempt++)
        {
            RemoveGroup(directory);
            if (Directory.Exists(directory))
            {
                Log($"attempt {attempt}: {directory} still there: {string.Join(' ', Directory.GetFileSystemEntries(directory).Where(Directory.Exists))} procs {File.ReadAllText(Path.Combine(directory, "cgroup.procs")).Replace('\n', ' ')}");
                await Task.Delay(100);
            }
        }
    }

    private IEnumerable<string> InNamespace() =>
    [
        "-t", _holder.Id.ToString(CultureInfo.InvariantCulture), "-m", "--",
        "sh", "-c", $"echo $$ > /sys/fs/cgroup/{Group}/cgroup.procs && exec \"$@\"", "sh",
    ];

    private IEnumerable<string> AsUser(string program, IEnumerable<string> arguments) =>
    [
        "/usr/sbin/runuser", "-u", _sandbox.User!.Name, "--", "/usr/bin/env", "-i",
        .. _sandbox.Environment().Select(pair => $"{pair.Key}={pair.Value}"),
        program, .. arguments,
    ];

    private async Task StartManagerAsync(TestUser user)
    {
        var start = new ProcessStartInfo("nsenter", [.. InNamespace(), .. AsUser(Systemd, ["--user"])])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _manager = Process.Start(start) ?? throw new InvalidOperationException("cannot start systemd --user");
        _manager.OutputDataReceived += (_, e) => Log(e.Data);
        _manager.ErrorDataReceived += (_, e) => Log(e.Data);
        _manager.BeginOutputReadLine();
        _manager.BeginErrorReadLine();

        // Up once systemd owns its name on the bus it started through dbus.socket.
        string bus = Path.Combine(_sandbox.RuntimeDirectory, "bus");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(_manager.HasExited, $"systemd --user exited with {(_manager.HasExited ? _manager.ExitCode : 0)}");
            if (File.Exists(bus))
            {
                ProcessResult names = await RunAsync("busctl", "--user", "--no-pager", "list");
                if (names.StdoutLines.Any(l => l.StartsWith("org.freedesktop.systemd1 ", StringComparison.Ordinal) && !l.Contains("(activatable)", StringComparison.Ordinal)))
                {
                    return;
                }
            }

            await Task.Delay(100);
        }

        Assert.Fail($"systemd --user for {user.Name} did not come up on {bus}");
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            try
            {
                _output.WriteLine("[systemd] " + line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; late lines are dropped.
            }
        }
    }

    /// <summary>Deepest first: a cgroup directory goes only once its children are gone and it has no processes.</summary>
    private static void RemoveGroup(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string child in Directory.GetDirectories(directory))
        {
            RemoveGroup(child);
        }

        try
        {
            Directory.Delete(directory);
        }
        catch (IOException)
        {
        }
    }
}
