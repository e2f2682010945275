using System.CommandLine;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary><c>skiff run [OPTIONS] IMAGE [COMMAND [ARG...]]</c>: create and start a container, then attach or print its id.</summary>
public static class RunCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var options = new CreateOptions();
        var detach = new Option<bool>("--detach", "-d") { Description = "Run container in background and print container ID" };
        var command = new Command("run", "Run a command in a new container") { detach };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            bool background = parse.GetValue(detach);
            ContainerConfig config = await new ContainerCreator(context, options).CreateAsync(parse, background, cancellationToken);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            if (background)
            {
                lifecycle.Start(config.Id, null);
                context.Out.WriteLine(config.Id);
                return ExitCodes.Success;
            }

            (var ours, var theirs) = UnixSockets.SeqPacketPair();
            using (theirs)
            {
                try
                {
                    lifecycle.Start(config.Id, theirs);
                }
                catch
                {
                    ours.Dispose();
                    throw;
                }
            }

            return await ForegroundSession.RunAsync(lifecycle, config.Id, ours, config.Tty, config.OpenStdin, config.DetachKeys);
        });
        return command;
    }
}
