using System.CommandLine;
using Skiff.Cli.Commands.System;
using Skiff.Core.Processes;
using Skiff.Rootless.IdMaps;
using Skiff.Runtime.Containers;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Spec;

namespace Skiff.Cli.Commands.Oci;

/// <summary>
/// <c>skiff oci create|start|state|kill|delete|run|exec|pause|resume|features</c>: skiff's runtime behind the OCI runtime
/// command line, so other engines (podman through conmon, and skiff's own monitor) can drive it as they
/// drive runc. The global <c>--root</c> names the runtime state directory here, as runc's does.
/// </summary>
public static class OciCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var oci = new OciOptions();
        var version = new Option<bool>("--version", "-v") { Description = "Print the runtime's version" };
        var command = new Command("oci", "Run containers from OCI bundles (an OCI runtime command line like runc's)") { version };
        oci.AddTo(command);
        command.Subcommands.Add(OciCreateCommand.Create(globals, oci));
        command.Subcommands.Add(OciStartCommand.Create(globals, oci));
        command.Subcommands.Add(OciStateCommand.Create(globals, oci));
        command.Subcommands.Add(OciKillCommand.Create(globals, oci));
        command.Subcommands.Add(OciDeleteCommand.Create(globals, oci));
        command.Subcommands.Add(OciRunCommand.Create(globals, oci));
        command.Subcommands.Add(OciExecCommand.Create(globals, oci));
        command.Subcommands.Add(OciPauseCommand.Create(globals, oci, resume: false));
        command.Subcommands.Add(OciPauseCommand.Create(globals, oci, resume: true));
        command.Subcommands.Add(OciFeaturesCommand.Create());
        command.Subcommands.Add(OciInitCommand.Create());
        command.Subcommands.Add(OciExecInitCommand.Create());
        command.Subcommands.Add(OciPtyHoldCommand.Create());
        command.SetAction(parseResult =>
        {
            if (!parseResult.GetValue(version))
            {
                Console.Error.WriteLine("Error: missing command: create, start, state, kill, delete, run, exec, pause, resume or features");
                Console.Error.WriteLine("Hint: see 'skiff oci --help'");
                return ExitCodes.EngineError;
            }

            // The first line is what engines show as the runtime's version (podman info: ociRuntime.version).
            Console.Out.WriteLine($"skiff version {VersionCommand.Version}");
            Console.Out.WriteLine($"spec: {RuntimeSpec.Version}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Composes the runtime: root writes id maps itself; a rootless user maps only its own ids itself and goes through newuidmap/newgidmap for subordinate ranges.</summary>
    public static OciRuntime Runtime(GlobalOptions globals, ParseResult parseResult)
    {
        CliContext context = globals.Resolve(parseResult);
        string root = parseResult.GetValue(globals.Root) is { } explicitRoot
            ? Path.GetFullPath(explicitRoot)
            : DefaultStateRoot(context);
        return Compose(root, context.User, context.SelfExecutable);
    }

    /// <summary>The runtime over state root <paramref name="root"/>; the monitor composes it this way too, to run it in its own process.</summary>
    public static OciRuntime Compose(string root, Core.Users.CurrentUser user, string selfExecutable)
    {
        // Inside skiff's user namespace (a rootless container's monitor) skiff is uid 0 there and writes any map of its ids itself.
        IIdMapWriter writer = user.Rootless && !user.InsideUserNamespace
            ? new SelfIdMapWriter(new NewIdMapWriter(), user.Uid, user.Gid)
            : new ProcIdMapWriter();
        return new OciRuntime(new ContainerStore(root), new NamespaceLauncher(writer), selfExecutable, user);
    }

    /// <summary>
    /// The runroot's oci/ directory; but uid 0 in an unprivileged user namespace (rootless podman runs its
    /// runtime there) cannot write /run, so it keeps its state under XDG_RUNTIME_DIR, as runc decides.
    /// </summary>
    private static string DefaultStateRoot(CliContext context)
    {
        if (!context.User.Rootless && UserNamespaceProbe.InsideNonInitial()
            && Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtimeDirectory
            && Environment.GetEnvironmentVariable("USER") != "root")
        {
            return Path.Combine(runtimeDirectory, "skiff", "oci");
        }

        return Path.Combine(context.Paths.RunRoot, "oci");
    }
}
