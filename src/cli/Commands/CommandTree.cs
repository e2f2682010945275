using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Images;
using Skiff.Cli.Commands.Registry;
using Skiff.Cli.Commands.System;
using Skiff.Cli.Commands.Volumes;

namespace Skiff.Cli.Commands;

/// <summary>The command tree. Each verb lives in Commands/&lt;Area&gt;/&lt;Verb&gt;Command.cs.</summary>
public static class CommandTree
{
    /// <summary>Every verb of the tree, by the name it is invoked with, in the order help lists them.</summary>
    private static readonly (string Name, Func<GlobalOptions, Command> Create)[] Verbs =
    [
        ("version", g => VersionCommand.Create(g)),
        ("info", g => InfoCommand.Create(g)),
        ("events", g => EventsCommand.Create(g)),
        ("help", g => HelpCommand.Create(g)),
        ("system", g => SystemCommand.Create(g)),
        ("unshare", g => UnshareCommand.Create(g)),
        ("run", g => RunCommand.Create(g)),
        ("create", g => CreateCommand.Create(g)),
        ("start", g => StartCommand.Create(g)),
        ("init", g => InitCommand.Create(g)),
        ("stop", g => StopCommand.Create(g)),
        ("kill", g => KillCommand.Create(g)),
        ("rm", g => RmCommand.Create(g)),
        ("ps", g => PsCommand.Create(g)),
        ("logs", g => LogsCommand.Create(g)),
        ("wait", g => WaitCommand.Create(g)),
        ("port", g => PortCommand.Create(g)),
        ("inspect", g => InspectCommand.Create(g)),
        ("exec", g => ExecCommand.Create(g)),
        ("healthcheck", g => HealthcheckCommand.Create(g)),
        ("pause", g => PauseCommand.Create(g)),
        ("unpause", g => UnpauseCommand.Create(g)),
        ("update", g => UpdateCommand.Create(g)),
        ("stats", g => StatsCommand.Create(g)),
        ("restart", g => RestartCommand.Create(g)),
        ("attach", g => AttachCommand.Create(g)),
        ("top", g => TopCommand.Create(g)),
        ("pull", g => PullCommand.Create(g)),
        ("push", g => PushCommand.Create(g)),
        ("login", g => LoginCommand.Create(g)),
        ("logout", g => LogoutCommand.Create(g)),
        ("search", g => SearchCommand.Create(g)),
        ("completion", g => CompletionCommand.Create(g)),
        ("__complete", g => CompleteCommand.Create(g)),
        ("oci", g => Oci.OciCommand.Create(g)),
        ("image", g => ImageCommand.Create(g)),
        ("images", g => ImagesCommand.Create(g)),
        ("history", g => HistoryCommand.Create(g)),
        ("tag", g => TagCommand.Create(g)),
        ("untag", g => UntagCommand.Create(g)),
        ("rmi", g => RmiCommand.Create(g)),
        ("import", g => ImportCommand.Create(g)),
        ("save", g => SaveCommand.Create(g)),
        ("load", g => LoadCommand.Create(g)),
        ("volume", g => VolumeCommand.Create(g)),
        ("network", g => Networks.NetworkCommand.Create(g)),
        ("secret", g => Secrets.SecretCommand.Create(g)),
        ("generate", g => Generate.GenerateCommand.Create(g)),
        ("container", g => ContainerCommand.Create(g)),
        ("rename", g => RenameCommand.Create(g)),
        ("cp", g => CpCommand.Create(g)),
        ("export", g => ExportCommand.Create(g)),
        ("diff", g => DiffCommand.Create(g)),
        ("mount", g => MountCommand.Create(g)),
        ("unmount", g => UnmountCommand.Create(g)),
        ("commit", g => CommitCommand.Create(g)),
        ("build", g => BuildCommand.Create(g)),
    ];

    private const string Description = "skiff: daemonless, rootless, docker-compatible containers";

    /// <summary>Verbs that read the whole tree (completion scripts are generated from it).</summary>
    private static readonly HashSet<string> WholeTreeVerbs = ["completion"];

    public static RootCommand Build(GlobalOptions globals) => Build(globals, verb: null);

    /// <summary>
    /// The tree for a command line whose first positional is <paramref name="verb"/>: when that is a verb's
    /// own name, the root holds only that verb (building every verb's options is most of the time a short
    /// command spends before it starts working: `run`'s critical path runs through it); otherwise, and for
    /// aliases, help and unknown verbs, the whole tree.
    /// </summary>
    public static RootCommand Build(GlobalOptions globals, string? verb) => (RootCommand)Build(globals, verb, lean: false);

    /// <summary>
    /// The tree <see cref="Build(GlobalOptions, string?)"/> gives for <paramref name="args"/>, whose first positional
    /// is <paramref name="verb"/>. When the root holds one verb and no token can ask for help or the version, be a
    /// directive or name a response file, the root is a plain <see cref="Command"/> with the same name, description
    /// and options: <see cref="RootCommand"/>'s help and version options look up their descriptions through
    /// System.CommandLine's ResourceManager when constructed (the reflection binder and the resources reader: a tenth
    /// of a `run`'s CLI CPU), and neither can match such a line. Anything that might is given the RootCommand.
    /// </summary>
    public static Command Build(GlobalOptions globals, string? verb, IReadOnlyList<string> args)
    {
        bool lean = true;
        foreach (string arg in args)
        {
            lean &= !MayAskForRootOptions(arg);
        }

        return Build(globals, verb, lean);
    }

    /// <summary>
    /// Whether a token may be the help option (--help, -h, -?, /h, /?, or a POSIX bundle with h or ?), the version
    /// option, a directive ([suggest]) or a response file (@file) that might hold either.
    /// </summary>
    private static bool MayAskForRootOptions(string arg) =>
        arg.StartsWith("--help", StringComparison.Ordinal)
        || arg.StartsWith("--version", StringComparison.Ordinal)
        || (arg.Length > 1 && arg[0] == '-' && arg[1] != '-' && arg.AsSpan().IndexOfAny('h', '?') >= 0)
        || arg is "/h" or "/?"
        || arg.StartsWith('@')
        || arg.StartsWith('[');

    private static Command Build(GlobalOptions globals, string? verb, bool lean)
    {
        bool single = verb is not null && !WholeTreeVerbs.Contains(verb) && Array.Exists(Verbs, v => v.Name == verb);
        Command root = single && lean ? new Command(RootCommand.ExecutableName, Description) : new RootCommand(Description);
        globals.AddTo(root);
        foreach ((string name, Func<GlobalOptions, Command> create) in Verbs)
        {
            if (!single || name == verb)
            {
                root.Subcommands.Add(create(globals));
            }
        }

        ArgumentChecks.RejectFlagsInArguments(root, PassThroughVerbs, RawArgumentVerbs);
        return root;
    }

    /// <summary>
    /// Verbs whose trailing arguments belong to another program (docker stops flag parsing at the
    /// first positional after these many positionals).
    /// </summary>
    public static IReadOnlyDictionary<string, int> PassThroughVerbs { get; } = new Dictionary<string, int>
    {
        ["unshare"] = 0,
        ["run"] = 1,
        ["create"] = 1,
        ["exec"] = 1,
        ["top"] = 1,
    };

    /// <summary>Subtrees whose positionals may start with '-': runc's command line, completion requests.</summary>
    private static IReadOnlySet<string> RawArgumentVerbs { get; } = new HashSet<string> { "oci", "__complete" };

    /// <summary>
    /// Of <see cref="UserNamespaceVerbs"/>, those whose only work inside skiff's user namespace is their containers'
    /// monitors (which mount the root): unless they need the rootless network namespace's user namespace, a rootless
    /// user runs them in the host's namespaces and only the monitors start inside (UserNamespaceSpawner), one start
    /// of skiff fewer than re-executing the command there.
    /// </summary>
    public static IReadOnlySet<string> MonitorOnlyVerbs { get; } = new HashSet<string> { "start", "init" };

    /// <summary>
    /// Verbs that a rootless user runs inside skiff's user namespace (they create or remove files owned
    /// by subordinate ids, or mount). Read-only verbs stay outside for speed.
    /// </summary>
    public static IReadOnlySet<string> UserNamespaceVerbs { get; } = new HashSet<string>
    {
        "unshare",
        "run",
        "create",
        "start",
        "init",
        "restart",
        "rm",
        "container",
        "network",
        "pull",
        "push",
        "image",
        "tag",
        "untag",
        "rmi",
        "import",
        "load",
        "volume",
        "build",
    };
}
