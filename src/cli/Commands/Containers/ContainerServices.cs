using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Monitor;

namespace Skiff.Cli.Commands.Containers;

/// <summary>Builds the container services for one invocation from the resolved context.</summary>
public static class ContainerServices
{
    public static ContainerStore Store(CliContext context) => new(context.Paths.Root, context.Paths.RunRoot);

    public static Runtime.Volumes.VolumeStore Volumes(CliContext context) => new(context.Paths.Root) { Events = context.Events };

    public static Runtime.Secrets.SecretStore Secrets(CliContext context) => new(context.Paths.Root);

    public static Rootless.Network.Bridge.NetworkStore Networks(CliContext context) => new(context.Paths.Root, context.Paths.RunRoot);

    /// <summary>Connects and disconnects running containers on user-defined networks (network connect/disconnect).</summary>
    public static Rootless.Network.Bridge.BridgeEndpointConnector BridgeConnector(CliContext context) => new(
        Store(context),
        Networks(context),
        new Core.Processes.ProcessRunner(),
        context.User.Rootless ? new Rootless.Network.Bridge.RootlessNetworkNamespace(context.Paths.RunRoot) : null);

    public static ContainerLifecycle Lifecycle(CliContext context)
    {
        ContainerStore store = Store(context);
        // A rootless verb that stays in the host's namespaces (CommandTree.MonitorOnlyVerbs) starts its monitors
        // inside skiff's user namespace, where they mount the container's root.
        var launcher = new MonitorLauncher(context.SelfExecutable, context.Paths.Root, context.Paths.RunRoot, store)
        {
            StartProcess = context.User.Rootless && !context.User.InsideUserNamespace
                ? spawn => Rootless.Storage.UserNamespaceSpawner.ForUser(context.User).Spawn(spawn)
                : Runtime.Process.Spawner.Spawn,
        };
        return new ContainerLifecycle(store, launcher, new StateObserver(TimeProvider.System),
            s => new Rootless.Network.ContainerNetworkConnector(s, Rootless.Network.NetworkHelpers.Find()), Volumes(context));
    }

    /// <summary>
    /// podman's multi-target container verbs: every name is resolved before anything is done, and the first
    /// one that does not exist fails the whole command (one <c>Error:</c> line, <paramref name="missingExit"/>,
    /// no container touched) unless <paramref name="ignoreMissing"/> (<c>--ignore</c>, <c>rm --force</c>)
    /// skips it. Then <paramref name="action"/> runs for each (target, id), failures reported per item.
    /// </summary>
    public static int ForEachContainer(
        CliContext context, ContainerStore store, IEnumerable<string> targets, Action<string, string> action,
        bool ignoreMissing = false, int missingExit = ExitCodes.EngineError)
    {
        var resolved = new List<(string Target, string Id)>();
        foreach (string target in targets)
        {
            try
            {
                resolved.Add((target, store.Resolve(target)));
            }
            catch (Core.Errors.SkiffException e) when (e.Kind == Core.Errors.ErrorKind.NotFound)
            {
                if (!ignoreMissing)
                {
                    context.Reporter.ReportItem(target, e);
                    return missingExit;
                }
            }
        }

        return ForEach(context, resolved, item => action(item.Target, item.Id), item => (item.Target, item.Id));
    }

    /// <summary>
    /// podman's warning when a stop outlives its timeout, so a stop that took the whole timeout says why: the container
    /// ignored its stop signal (a shell or server as PID 1 without a handler does) and was killed.
    /// </summary>
    public static Action<string, int> StopTimeoutWarning(CliContext context, ContainerLifecycle lifecycle, string id)
    {
        string name = lifecycle.Store.ReadConfig(id).Name;
        return (signal, seconds) => context.Error.WriteLine($"Warning: StopSignal {signal} failed to stop container {name} in {seconds} seconds, resorting to SIGKILL");
    }

    /// <summary>podman's rule for verbs that take <c>--all</c> or container names: one of them, not both, not neither.</summary>
    /// <param name="conflict">podman's words for both at once, which differ between its verbs.</param>
    public static void RequireAllOrNames(bool all, IReadOnlyList<string> names, string conflict = "--all and containers cannot be used together")
    {
        if (all && names.Count > 0)
        {
            throw SkiffException.InvalidArgument(conflict);
        }

        if (!all && names.Count == 0)
        {
            throw SkiffException.InvalidArgument("you must provide at least one name or id", "name the containers, or give --all");
        }
    }

    /// <summary>Runs <paramref name="action"/> for each target, reporting failures per item (docker's multi-target verbs).</summary>
    public static int ForEach(CliContext context, IEnumerable<string> targets, Action<string> action) =>
        ForEach(context, targets, action, target => (target, null));

    private static int ForEach<T>(CliContext context, IEnumerable<T> targets, Action<T> action, Func<T, (string Name, string? Id)> name)
    {
        int exit = ExitCodes.Success;
        foreach (T target in targets)
        {
            try
            {
                action(target);
            }
            catch (Exception e) when (e is Core.Errors.SkiffException or IOException or UnauthorizedAccessException)
            {
                (string item, string? id) = name(target);
                context.Reporter.ReportItem(item, e, id);
                exit = ExitCodes.EngineError;
            }
        }

        return exit;
    }
}
