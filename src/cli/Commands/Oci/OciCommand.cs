using System.CommandLine;
using Skiff.Core.Processes;
using Skiff.Rootless.IdMaps;
using Skiff.Runtime.Containers;
using Skiff.Runtime.Namespaces;

namespace Skiff.Cli.Commands.Oci;

/// <summary>
/// <c>skiff oci create|start|state|kill|delete|run|exec</c>: skiff's runtime behind the OCI runtime command
/// line, so other engines (and skiff's own monitor) can drive it as they drive crun. The global
/// <c>--root</c> names the runtime state directory here, as crun's does.
/// </summary>
public static class OciCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("oci", "Run containers from OCI bundles (an OCI runtime command line like crun's)");
        command.Subcommands.Add(OciCreateCommand.Create(globals));
        command.Subcommands.Add(OciStartCommand.Create(globals));
        command.Subcommands.Add(OciStateCommand.Create(globals));
        command.Subcommands.Add(OciKillCommand.Create(globals));
        command.Subcommands.Add(OciDeleteCommand.Create(globals));
        command.Subcommands.Add(OciRunCommand.Create(globals));
        command.Subcommands.Add(OciExecCommand.Create(globals));
        command.Subcommands.Add(OciInitCommand.Create());
        command.Subcommands.Add(OciExecInitCommand.Create());
        return command;
    }

    /// <summary>Composes the runtime: root writes id maps itself; a rootless user maps only its own ids itself and goes through newuidmap/newgidmap for subordinate ranges.</summary>
    public static OciRuntime Runtime(GlobalOptions globals, ParseResult parseResult)
    {
        CliContext context = globals.Resolve(parseResult);
        string root = parseResult.GetValue(globals.Root) is { } explicitRoot
            ? Path.GetFullPath(explicitRoot)
            : Path.Combine(context.Paths.RunRoot, "oci");
        return Compose(root, context.User, context.SelfExecutable);
    }

    /// <summary>The runtime over state root <paramref name="root"/>; the monitor composes it this way too, to run it in its own process.</summary>
    public static OciRuntime Compose(string root, Core.Users.CurrentUser user, string selfExecutable)
    {
        // Inside skiff's user namespace (a rootless container's monitor) skiff is uid 0 there and writes any map of its ids itself.
        IIdMapWriter writer = user.Rootless && !user.InsideUserNamespace
            ? new SelfIdMapWriter(new NewIdMapWriter(new ProcessRunner()), user.Uid, user.Gid)
            : new ProcIdMapWriter();
        return new OciRuntime(new ContainerStore(root), new NamespaceLauncher(writer), selfExecutable, user);
    }
}
