namespace Skiff.Cli.Commands.Generate;

/// <summary>What <see cref="SystemdUnit"/> renders: the container and <c>generate systemd</c>'s options.</summary>
public sealed record SystemdUnitRequest
{
    /// <summary>skiff's own path (/proc/self/exe), as podman writes its own.</summary>
    public required string Executable { get; init; }

    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>--name: the container's name in the unit's name and commands rather than its id.</summary>
    public bool UseName { get; init; }

    /// <summary>--new: the unit creates the container with <c>run</c> and removes it after.</summary>
    public bool New { get; init; }

    public string ContainerPrefix { get; init; } = "container";

    public string Separator { get; init; } = "-";

    /// <summary>--restart-policy; null keeps the default (on-failure), or with --new the container's own --restart.</summary>
    public string? RestartPolicy { get; init; }

    public uint? RestartSec { get; init; }

    public uint? StartTimeout { get; init; }

    /// <summary>--stop-timeout, else the container's.</summary>
    public required uint StopTimeout { get; init; }

    public bool NoHeader { get; init; }

    public IReadOnlyList<string> Wants { get; init; } = [];

    public IReadOnlyList<string> After { get; init; } = [];

    public IReadOnlyList<string> Requires { get; init; } = [];

    /// <summary>--env, as NAME=VALUE.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>The store's run root (RequiresMountsFor= of a unit for an existing container).</summary>
    public required string RunRoot { get; init; }

    /// <summary>The monitor's pid file (PIDFile= of a unit for an existing container).</summary>
    public required string MonitorPidFile { get; init; }

    /// <summary>The container's create command (podman's CreateCommand), for --new.</summary>
    public IReadOnlyList<string> CreateCommand { get; init; } = [];

    /// <summary>The container's environment, for the variables its command passed by name alone.</summary>
    public IReadOnlyList<string> ContainerEnvironment { get; init; } = [];

    /// <summary>Whether a flag of run, written without '=', takes the next argument as its value.</summary>
    public Func<string, bool> TakesValue { get; init; } = _ => false;

    public required string Version { get; init; }

    /// <summary>The header's time (podman's: Go's UnixDate layout).</summary>
    public DateTimeOffset Now { get; init; }
}
