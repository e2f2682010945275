using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Generate;

/// <summary>
/// <c>generate systemd --new</c>'s ExecStart, as podman 4.3 builds it from the container's recorded create command: skiff
/// and the global flags as they were, <c>run --cidfile=%t/%n.ctr-id --cgroups=no-conmon --rm</c>, then
/// <c>--sdnotify=conmon</c> unless the command chose a mode (ignore is replaced: a Type=notify unit needs READY),
/// <c>-d</c> unless it detached, <c>--replace</c> for a named container that did not ask for it, then the command's
/// own flags without --rm, --cgroups, --cidfile and --restart (the unit's Restart= takes the policy), and its image and
/// arguments untouched. Flags are told from values by the run verb's own options, so a flag's value is never taken
/// for the image.
/// </summary>
public sealed class NewContainerCommand
{
    public const string IdFile = "%t/%n.ctr-id";

    private NewContainerCommand(IReadOnlyList<string> arguments, string? restartPolicy, string? startLimitBurst, IReadOnlyList<string> extraEnvironment)
    {
        Arguments = arguments;
        RestartPolicy = restartPolicy;
        StartLimitBurst = startLimitBurst;
        ExtraEnvironment = extraEnvironment;
    }

    /// <summary>The ExecStart arguments, each escaped for systemd.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The unit's Restart= from the command's --restart (unless-stopped is always, on-failure:N on-failure); null without one.</summary>
    public string? RestartPolicy { get; }

    /// <summary>N of --restart=on-failure:N, the unit's StartLimitBurst=.</summary>
    public string? StartLimitBurst { get; }

    /// <summary>The container's values of variables the command passed by name alone (<c>-e NAME</c>), escaped: the unit has no such environment.</summary>
    public IReadOnlyList<string> ExtraEnvironment { get; }

    /// <summary>The global flags of the command (between the program and the verb), which the unit's other commands need too.</summary>
    public IReadOnlyList<string> GlobalFlags { get; private init; } = [];

    /// <param name="takesValue">Whether a flag of run (as written, without '=') takes the next argument as its value.</param>
    public static NewContainerCommand Build(string executable, IReadOnlyList<string> createCommand, IReadOnlyList<string> containerEnvironment, Func<string, bool> takesValue)
    {
        int index = 0;
        for (int i = 0; i < createCommand.Count; i++)
        {
            if (createCommand[i] is "run" or "create")
            {
                index = i + 1;
                break;
            }
        }

        if (index == 0)
        {
            throw SkiffException.InvalidArgument($"container's create command is too short or invalid: [{string.Join(' ', createCommand)}]");
        }

        // The command's own arguments are escaped for systemd, the unit's (with their %t and %n) are not.
        IReadOnlyList<string> globals = index > 2 ? [.. createCommand.Skip(1).Take(index - 2).Select(SystemdCommandLine.Escape)] : [];
        var start = new List<string> { SystemdCommandLine.Escape(executable) };
        start.AddRange(globals);
        start.AddRange(["run", "--cidfile=" + IdFile, "--cgroups=no-conmon", "--rm"]);

        List<string> remaining = [.. createCommand.Skip(index)];
        var flags = CreateFlags.Scan(remaining, takesValue);
        List<string> options = Filter(remaining[..flags.FirstPositional]);
        if (flags.SdNotify is null)
        {
            start.Add("--sdnotify=conmon");
        }
        else if (flags.SdNotify == "ignore")
        {
            options = RemoveValued(options, "--sdnotify");
            start.Add("--sdnotify=conmon");
        }

        if (!flags.Detach)
        {
            start.Add("-d");
            options.RemoveAll(o => o is "-d=false" or "--detach=false");
        }

        if (flags.NameGiven && !flags.Replace)
        {
            start.Add("--replace");
            options.RemoveAll(o => o == "--replace=false");
        }

        string? restart = flags.Restart is { Length: > 0 } policy ? policy : null;
        string? burst = null;
        if (restart is not null && restart.StartsWith("on-failure:", StringComparison.Ordinal))
        {
            burst = restart["on-failure:".Length..];
            restart = "on-failure";
        }
        else if (restart == "unless-stopped")
        {
            restart = "always";
        }

        var extra = new List<string>();
        foreach (string name in flags.Environment.Where(e => !e.Contains('=', StringComparison.Ordinal)))
        {
            extra.AddRange(containerEnvironment.Where(e => e.Split('=', 2)[0] == name).Select(SystemdCommandLine.Escape));
        }

        start.AddRange(options.Select(SystemdCommandLine.Escape));
        start.AddRange(remaining.Skip(flags.FirstPositional).Select(SystemdCommandLine.Escape));
        return new NewContainerCommand(start, restart, burst, extra) { GlobalFlags = globals };
    }

    /// <summary>podman's filter of the flags the unit sets itself: --rm, and --cgroups, --cidfile and --restart with their values.</summary>
    private static List<string> Filter(IReadOnlyList<string> options)
    {
        var kept = new List<string>();
        for (int i = 0; i < options.Count; i++)
        {
            string option = options[i];
            if (option == "--rm" || option.StartsWith("--rm=", StringComparison.Ordinal)
                || option.StartsWith("--cgroups=", StringComparison.Ordinal) || option.StartsWith("--cidfile=", StringComparison.Ordinal) || option.StartsWith("--restart=", StringComparison.Ordinal))
            {
                continue;
            }

            if (option is "--cgroups" or "--cidfile" or "--restart")
            {
                i++;
                continue;
            }

            kept.Add(option);
        }

        return kept;
    }

    private static List<string> RemoveValued(List<string> options, string flag)
    {
        var kept = new List<string>();
        for (int i = 0; i < options.Count; i++)
        {
            if (options[i] == flag)
            {
                i++;
                continue;
            }

            if (!options[i].StartsWith(flag + "=", StringComparison.Ordinal))
            {
                kept.Add(options[i]);
            }
        }

        return kept;
    }
}
