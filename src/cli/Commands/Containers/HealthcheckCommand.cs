using System.CommandLine;
using Skiff.Cli.Output;
using Skiff.Core.Errors;
using Skiff.Rootless.Storage;
using Skiff.Runtime.Health;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff healthcheck run CONTAINER</c>: runs the container's healthcheck once (as its monitor does every interval) and
/// exits as podman's: 0 when the check passed, 1 with "unhealthy" printed when it failed, 125 on an error (no such
/// container, no healthcheck, not running, the check timed out).
/// </summary>
public static class HealthcheckCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("healthcheck", "Manage health checks on containers");
        command.Subcommands.Add(CreateRun(globals));
        return command;
    }

    private static Command CreateRun(GlobalOptions globals)
    {
        var container = new Argument<string>("container");
        var run = new Command("run", "Run the health check of a container") { container };
        run.SetAction(async (parse, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parse);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string id = lifecycle.Store.Resolve(parse.GetValue(container)!);
            ContainerConfig config = lifecycle.Store.ReadConfig(id);
            if (config.Healthcheck is not { Enabled: true })
            {
                throw SkiffException.InvalidArgument($"container {id} has no defined healthcheck", "create the container with --health-cmd, or from an image with a HEALTHCHECK");
            }

            ContainerState state = lifecycle.Observe(id);
            if (state.Status != ContainerStatus.Running)
            {
                throw SkiffException.Conflict($"container {id} is not running", $"start it with 'skiff start {parse.GetValue(container)}'");
            }

            if (context.User.Rootless && !context.User.InsideUserNamespace)
            {
                // As exec: the container's root and runtime live in its monitor's user and mount namespaces.
                return await UserNamespaceReexec.ForUser(context.User, context.Runner)
                    .RunJoinedAsync(context.SelfExecutable, Environment.GetCommandLineArgs()[1..], state.MonitorPid, cancellationToken);
            }

            (_, HealthState health, bool timedOut) = new HealthCheckRunner(lifecycle, TimeProvider.System).Run(id, config, state);
            if (timedOut)
            {
                throw SkiffException.Unavailable(
                    $"healthcheck command exceeded timeout of {GoDuration.Format(TimeSpan.FromTicks(config.Healthcheck.Timeout / 100))}",
                    "the check was killed and counts as failed; give it more time with --health-timeout");
            }

            if (health.Log[^1].ExitCode != 0)
            {
                context.Out.WriteLine(HealthStatus.Unhealthy);
                return 1;
            }

            return ExitCodes.Success;
        });
        return run;
    }
}
