using System.CommandLine;
using System.Globalization;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>skiff wait [--condition STATE]... [--interval D] [-l] CONTAINER...</c>: block until each container stops (or
/// reaches a state asked for), print its exit code (-1 for a state that is not an end, as podman).
/// </summary>
public static class WaitCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var condition = new Option<string[]>("--condition") { Description = "Condition to wait on (default \"stopped\")" };
        var interval = new Option<string>("--interval", "-i") { Description = "Time Interval to wait before polling for completion", DefaultValueFactory = _ => "250ms" };
        var latest = LatestContainer.CreateOption();
        var containers = new Argument<string[]>("container") { Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("wait", "Block until one or more containers stop, then print their exit codes") { condition, interval, latest, containers };
        command.SetAction(parse =>
        {
            CliContext context = globals.Resolve(parse);
            WaitConditions wanted = WaitConditions.Parse(parse.GetValue(condition) ?? []);
            TimeSpan every = WaitConditions.ParseInterval(parse.GetValue(interval)!);
            ContainerLifecycle lifecycle = ContainerServices.Lifecycle(context);
            string[] targets = parse.GetValue(containers) ?? [];
            if (parse.GetValue(latest) || targets.Length == 0)
            {
                targets = [LatestContainer.Resolve(lifecycle.Store, parse.GetValue(latest), targets.FirstOrDefault(), "\"skiff wait\" requires a name, id, or the \"--latest\" flag")];
            }

            var health = new Runtime.Health.HealthStore(lifecycle.Store.Directory);
            return ContainerServices.ForEachContainer(context, lifecycle.Store, targets, (_, id) =>
            {
                int code = wanted.EndOfRunOnly ? lifecycle.Wait(id).ExitCode : Poll(lifecycle, health, id, wanted, every);
                context.Out.WriteLine(code.ToString(CultureInfo.InvariantCulture));
            });
        });
        return command;
    }

    private static int Poll(ContainerLifecycle lifecycle, Runtime.Health.HealthStore health, string id, WaitConditions wanted, TimeSpan every)
    {
        bool checks = wanted.NeedsHealth && lifecycle.Store.ReadConfig(id).Healthcheck is { Enabled: true };
        while (true)
        {
            ContainerState state = lifecycle.Observe(id);
            if (wanted.Met(state, checks ? health.Read(id).Status : string.Empty) is int code)
            {
                return code;
            }

            Thread.Sleep(every);
        }
    }
}
