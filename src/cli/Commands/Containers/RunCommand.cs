using System.CommandLine;
using Skiff.Runtime.Fds;
using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff run [OPTIONS] IMAGE [COMMAND [ARG...]]</c>: create and start a container, then attach or print its id.</summary>
public static class RunCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var options = new CreateOptions();
        var detach = new Option<bool>("--detach", "-d") { Description = "Run container in background and print container ID" };
        var attach = new Option<string[]>("--attach", "-a") { Description = "Attach to STDIN, STDOUT or STDERR" };
        var sigProxy = new Option<bool>("--sig-proxy") { Description = "Proxy received signals to the process", DefaultValueFactory = _ => true };
        var rmi = new Option<bool>("--rmi") { Description = "Remove container image unless used by other containers (implies --rm)" };
        Option<string?> preserveFds = PreserveFdsFlag.Create();
        var command = new Command("run", "Run a command in a new container") { detach, attach, sigProxy, rmi, preserveFds };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            if (!context.User.Rootless)
            {
                // The monitor moves the init into its cgroup ~10 ms from now: the grace period that move
                // would wait for starts here instead (see CgroupAttachWarmUp).
                Runtime.Cgroups.CgroupAttachWarmUp.Start();
            }

            bool background = parse.GetValue(detach);
            // podman's warning, on run alone: a terminal was asked for with an input that is not one.
            if (parse.GetValue(options.Tty) && parse.GetValue(options.Interactive) && !Runtime.Terminal.RawTerminal.IsTerminal(0))
            {
                context.Error.WriteLine("Warning: The input device is not a TTY. The --tty and --interactive flags might not work properly");
            }

            // Checked before anything is created; with -d podman ignores -a.
            AttachStreams? streams = AttachStreams.Parse(parse.GetValue(attach) ?? []);
            int preserved = PreserveFdsFlag.Parse(parse.GetValue(preserveFds));
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);

            // The monitor starts first and gets ready while the image is resolved and the bundle written.
            (SafeFileHandle? ours, SafeFileHandle? theirs) = background ? (null, null) : UnixSockets.SeqPacketPair();
            // pasta (~20 ms to start) can start with the monitor when the container surely runs in a namespace of
            // skiff's runtime, not of its own user namespace or another runtime.
            string? networkHint = options.UserNamespace.Given(parse) || parse.GetValue(options.Runtime) is not (null or OciRuntimes.BuiltIn)
                ? null
                : options.NetworkFlags.EarlyHint(parse, parse.GetValue(options.Network));
            // --log-driver passthrough and --preserve-fds: the monitor is started with this command's descriptors, so none is prepared early.
            bool passthrough = parse.GetValue(options.LogDriver) == Runtime.Logs.LogDrivers.Passthrough;
            ContainerConfig config;
            ContainerSignalProxy? signals = null;
            try
            {
                using (theirs)
                using (PreparedMonitor? monitor = passthrough || preserved > 0 ? null : lifecycle.PrepareMonitor(theirs, networkHint))
                {
                    config = await new ContainerCreator(context, options).CreateAsync(parse, background, cancellationToken, remove: parse.GetValue(rmi));
                    // Taken before the start: the container may write to the caller (passthrough) before the session begins.
                    signals = ours is not null && parse.GetValue(sigProxy) ? new ContainerSignalProxy(lifecycle, config.Id) : null;
                    lifecycle.Start(config.Id, theirs, monitor, preserved);
                }
            }
            catch
            {
                signals?.Dispose();
                ours?.Dispose();
                throw;
            }

            if (ours is null)
            {
                context.Out.WriteLine(config.Id);
                return ExitCodes.Success;
            }

            bool callerStdio = passthrough && !config.Tty;
            int exitCode = await ForegroundSession.RunAsync(lifecycle, config.Id, ours, config.Tty, config.OpenStdin && !callerStdio, config.DetachKeys, parse.GetValue(sigProxy),
                callerStdio ? new AttachStreams(false, false) : streams, signals);
            if (parse.GetValue(rmi) && config.ImageId is not null && !lifecycle.Store.Exists(config.Id))
            {
                // With -d nothing waits for the end: as podman 4.3, the image stays (the container goes, --rm being implied).
                RunImageRemoval.Remove(context, config.Image);
            }

            return exitCode;
        });
        return command;
    }
}
