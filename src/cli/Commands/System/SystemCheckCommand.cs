using System.CommandLine;
using Skiff.Rootless.Checks;
using Skiff.Runtime.Cgroups;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff system check</c>: what this machine lacks for the current user, each problem with its fix.
/// Exit 0 when healthy, 1 when problems were found (podman 5's system check also exits non-zero then).
/// Test hooks: SKIFF_CHECK_SUBUID, SKIFF_CHECK_SUBGID, SKIFF_CHECK_TUN, SKIFF_CHECK_FUSE override the paths examined.
/// </summary>
public static class SystemCheckCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("check", "Check the machine and the current user's setup for rootless containers");
        command.SetAction(parseResult =>
        {
            CliContext context = globals.Resolve(parseResult);
            IReadOnlyList<SystemProblem> problems = Run(context);
            Print(context.Out, problems);
            return problems.Count == 0 ? ExitCodes.Success : 1;
        });
        return command;
    }

    public static IReadOnlyList<SystemProblem> Run(CliContext context)
    {
        var options = new SystemCheckOptions
        {
            UserName = context.User.Name,
            Uid = context.User.Uid,
            Rootless = context.User.Rootless,
            RuntimeDirectory = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"),
            SubuidPath = Environment.GetEnvironmentVariable("SKIFF_CHECK_SUBUID") ?? "/etc/subuid",
            SubgidPath = Environment.GetEnvironmentVariable("SKIFF_CHECK_SUBGID") ?? "/etc/subgid",
            TunPath = Environment.GetEnvironmentVariable("SKIFF_CHECK_TUN") ?? "/dev/net/tun",
            FusePath = Environment.GetEnvironmentVariable("SKIFF_CHECK_FUSE") ?? "/dev/fuse",
            SystemdRunning = SystemdBus.IsSystemdRunning(),
        };
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        CgroupDelegation? delegation = layout.UnifiedMount is null ? null : CgroupDelegation.Probe(layout.UnifiedMount);
        return SystemChecker.Run(options, layout, delegation);
    }

    public static void Print(TextWriter o, IReadOnlyList<SystemProblem> problems)
    {
        foreach (SystemProblem p in problems)
        {
            o.WriteLine($"Problem: [{p.Check}] {p.Message}");
            o.WriteLine($"  Fix: {p.Fix}");
        }

        o.WriteLine(problems.Count == 0 ? "No problems found." : $"{problems.Count} problem(s) found.");
    }
}
