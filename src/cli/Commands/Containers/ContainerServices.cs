using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Builds the container services for one invocation from the resolved context.</summary>
public static class ContainerServices
{
    public static ContainerStore Store(CliContext context) => new(context.Paths.Root, context.Paths.RunRoot);

    public static Runtime.Volumes.VolumeStore Volumes(CliContext context) => new(context.Paths.Root);

    public static ContainerLifecycle Lifecycle(CliContext context)
    {
        ContainerStore store = Store(context);
        var launcher = new MonitorLauncher(context.SelfExecutable, context.Paths.Root, context.Paths.RunRoot, store);
        return new ContainerLifecycle(store, launcher, new StateObserver(TimeProvider.System),
            s => new Rootless.Network.ContainerNetworkConnector(s, Rootless.Network.NetworkHelpers.Find()));
    }

    /// <summary>Runs <paramref name="action"/> for each target, reporting failures per item (docker's multi-target verbs).</summary>
    public static int ForEach(CliContext context, IEnumerable<string> targets, Action<string> action)
    {
        int exit = ExitCodes.Success;
        foreach (string target in targets)
        {
            try
            {
                action(target);
            }
            catch (Exception e) when (e is Core.Errors.SkiffException or IOException or UnauthorizedAccessException)
            {
                context.Reporter.ReportItem(target, e);
                exit = e is Core.Errors.SkiffException { Kind: Core.Errors.ErrorKind.NotFound } && exit == ExitCodes.Success ? 1 : ExitCodes.EngineError;
            }
        }

        return exit;
    }
}
