using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// docker's and podman's <c>--security-opt</c> values: <c>no-new-privileges[=true|false]</c>,
/// <c>seccomp=unconfined|PROFILE</c>, <c>mask=/a:/b</c>, <c>unmask=ALL|/a:/b</c>; <c>label=…</c> and
/// <c>apparmor=…</c> are accepted and have no effect (skiff applies neither SELinux nor AppArmor).
/// </summary>
public sealed record SecurityOptions
{
    public const string Unconfined = "unconfined";

    public bool NoNewPrivileges { get; init; }

    /// <summary>null: the default profile; <see cref="Unconfined"/>; otherwise a profile's JSON text or a file path.</summary>
    public string? Seccomp { get; init; }

    public IReadOnlyList<string> Mask { get; init; } = [];

    /// <summary>Paths no longer masked or read-only; "ALL" for every default one.</summary>
    public IReadOnlyList<string> Unmask { get; init; } = [];

    public static SecurityOptions Parse(IEnumerable<string> values)
    {
        var options = new SecurityOptions();
        foreach (string value in values)
        {
            // docker also accepts the old KEY:VALUE spelling.
            int separator = value.IndexOfAny(['=', ':']);
            string key = separator < 0 ? value : value[..separator];
            string argument = separator < 0 ? string.Empty : value[(separator + 1)..];
            options = key switch
            {
                "no-new-privileges" => options with { NoNewPrivileges = ParseBool(value, argument) },
                "seccomp" when argument.Length > 0 => options with { Seccomp = argument },
                "mask" when argument.Length > 0 => options with { Mask = [.. options.Mask, .. Paths(value, argument)] },
                "unmask" when argument.Length > 0 => options with { Unmask = [.. options.Unmask, .. argument == "ALL" ? ["ALL"] : Paths(value, argument)] },
                "label" or "apparmor" when argument.Length > 0 => options,
                _ => throw Invalid(value),
            };
        }

        return options;
    }

    private static bool ParseBool(string value, string argument) => argument switch
    {
        "" or "true" => true,
        "false" => false,
        _ => throw Invalid(value),
    };

    private static string[] Paths(string value, string argument)
    {
        string[] paths = argument.Split(':', StringSplitOptions.RemoveEmptyEntries);
        if (paths.Length == 0 || paths.Any(p => !p.StartsWith('/')))
        {
            throw SkiffException.InvalidArgument($"invalid --security-opt {value}: paths must be absolute", "separate paths with ':', e.g. mask=/proc/cpuinfo:/sys/kernel");
        }

        return paths;
    }

    private static SkiffException Invalid(string value) => SkiffException.InvalidArgument(
        $"invalid --security-opt {value}",
        "use no-new-privileges, seccomp=unconfined|FILE, mask=PATHS or unmask=ALL|PATHS");
}
