using System.Collections;
using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Core.Paths;
using Skiff.Core.Processes;
using Skiff.Core.Users;

namespace Skiff.Cli;

/// <summary>Flags accepted by every command (podman's global flags), and turning them into a <see cref="CliContext"/>.</summary>
public sealed class GlobalOptions(CurrentUser user)
{
    public Option<string?> Root { get; } = new("--root") { Description = "Path of the persistent store", Recursive = true };

    public Option<string?> RunRoot { get; } = new("--runroot") { Description = "Path of the runtime state directory", Recursive = true };

    public Option<string> LogLevel { get; } = new("--log-level")
    {
        Description = "Log messages at and above this level (debug, info, warn, error)",
        Recursive = true,
        DefaultValueFactory = _ => "warn",
    };

    public Option<string?> StorageDriver { get; } = new("--storage-driver") { Description = "Storage driver: overlay, fuse-overlayfs or vfs (default: probed)", Recursive = true };

    public Option<string?> CgroupManager { get; } = new("--cgroup-manager")
    {
        Description = "Cgroup manager: systemd (a transient scope over D-Bus) or cgroupfs (default: systemd when its bus exists on cgroup v2)",
        Recursive = true,
    };

    public CurrentUser User { get; } = user;

    public void AddTo(Command root)
    {
        LogLevel.AcceptOnlyFromAmong("debug", "info", "warn", "error", "fatal", "panic", "trace");
        root.Options.Add(Root);
        root.Options.Add(RunRoot);
        root.Options.Add(LogLevel);
        root.Options.Add(StorageDriver);
        CgroupManager.AcceptOnlyFromAmong(Runtime.Cgroups.CgroupManagers.Systemd, Runtime.Cgroups.CgroupManagers.Cgroupfs);
        root.Options.Add(CgroupManager);
    }

    public CliContext Resolve(ParseResult parseResult)
    {
        var environment = new Dictionary<string, string?>();
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value;
        }

        StorePaths paths = StorePaths.ForCurrentUser(environment, User.Uid, User.Rootless);
        string? root = parseResult.GetValue(Root);
        string? runRoot = parseResult.GetValue(RunRoot);
        if (root is not null)
        {
            paths = paths with { Root = Path.GetFullPath(root) };
        }

        if (runRoot is not null)
        {
            paths = paths with { RunRoot = Path.GetFullPath(runRoot) };
        }

        bool debug = parseResult.GetValue(LogLevel) is "debug" or "trace";
        string self = Environment.ProcessPath ?? throw SkiffException.Internal("cannot find skiff's own executable");
        return new CliContext(User, paths, debug, Console.Out, Console.Error, new ProcessRunner(), self)
        {
            StorageDriver = parseResult.GetValue(StorageDriver) ?? NonEmpty(Environment.GetEnvironmentVariable("STORAGE_DRIVER")),
            CgroupManager = parseResult.GetValue(CgroupManager),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
