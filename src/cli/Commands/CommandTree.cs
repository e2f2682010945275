using System.CommandLine;
using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Images;
using Skiff.Cli.Commands.Registry;
using Skiff.Cli.Commands.System;
using Skiff.Cli.Commands.Volumes;

namespace Skiff.Cli.Commands;

/// <summary>The whole command tree. Each verb lives in Commands/&lt;Area&gt;/&lt;Verb&gt;Command.cs.</summary>
public static class CommandTree
{
    public static RootCommand Build(GlobalOptions globals)
    {
        var root = new RootCommand("skiff: daemonless, rootless, docker-compatible containers");
        globals.AddTo(root);

        root.Subcommands.Add(VersionCommand.Create(globals));
        root.Subcommands.Add(InfoCommand.Create(globals));
        root.Subcommands.Add(SystemCommand.Create(globals));
        root.Subcommands.Add(UnshareCommand.Create(globals));
        root.Subcommands.Add(RunCommand.Create(globals));
        root.Subcommands.Add(CreateCommand.Create(globals));
        root.Subcommands.Add(StartCommand.Create(globals));
        root.Subcommands.Add(StopCommand.Create(globals));
        root.Subcommands.Add(KillCommand.Create(globals));
        root.Subcommands.Add(RmCommand.Create(globals));
        root.Subcommands.Add(PsCommand.Create(globals));
        root.Subcommands.Add(LogsCommand.Create(globals));
        root.Subcommands.Add(WaitCommand.Create(globals));
        root.Subcommands.Add(PortCommand.Create(globals));
        root.Subcommands.Add(InspectCommand.Create(globals));
        root.Subcommands.Add(ExecCommand.Create(globals));
        root.Subcommands.Add(PauseCommand.Create(globals));
        root.Subcommands.Add(UnpauseCommand.Create(globals));
        root.Subcommands.Add(UpdateCommand.Create(globals));
        root.Subcommands.Add(StatsCommand.Create(globals));
        root.Subcommands.Add(RestartCommand.Create(globals));
        root.Subcommands.Add(AttachCommand.Create(globals));
        root.Subcommands.Add(TopCommand.Create(globals));
        root.Subcommands.Add(PullCommand.Create(globals));
        root.Subcommands.Add(PushCommand.Create(globals));
        root.Subcommands.Add(LoginCommand.Create(globals));
        root.Subcommands.Add(LogoutCommand.Create(globals));
        root.Subcommands.Add(CompletionCommand.Create(globals));
        root.Subcommands.Add(CompleteCommand.Create(globals));
        root.Subcommands.Add(Oci.OciCommand.Create(globals));
        root.Subcommands.Add(ImageCommand.Create(globals));
        root.Subcommands.Add(ImagesCommand.Create(globals));
        root.Subcommands.Add(HistoryCommand.Create(globals));
        root.Subcommands.Add(TagCommand.Create(globals));
        root.Subcommands.Add(RmiCommand.Create(globals));
        root.Subcommands.Add(ImportCommand.Create(globals));
        root.Subcommands.Add(SaveCommand.Create(globals));
        root.Subcommands.Add(LoadCommand.Create(globals));
        root.Subcommands.Add(VolumeCommand.Create(globals));
        root.Subcommands.Add(Networks.NetworkCommand.Create(globals));
        root.Subcommands.Add(ContainerCommand.Create(globals));
        root.Subcommands.Add(RenameCommand.Create(globals));
        root.Subcommands.Add(CpCommand.Create(globals));
        root.Subcommands.Add(ExportCommand.Create(globals));
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
    /// Verbs that a rootless user runs inside skiff's user namespace (they create or remove files owned
    /// by subordinate ids, or mount). Read-only verbs stay outside for speed.
    /// </summary>
    public static IReadOnlySet<string> UserNamespaceVerbs { get; } = new HashSet<string>
    {
        "unshare",
        "run",
        "create",
        "start",
        "restart",
        "rm",
        "container",
        "network",
        "pull",
        "push",
        "image",
        "tag",
        "rmi",
        "import",
        "load",
        "volume",
    };
}
