using System.CommandLine;
using Skiff.Images.Local;
using Skiff.Rootless.Checks;
using Skiff.Runtime.Cgroups;

namespace Skiff.Cli.Commands.System;

/// <summary>
/// <c>skiff system check [--repair]</c>: what this machine lacks for the current user, each problem with its
/// fix, then the image store's consistency (with --repair, what can safely go is removed; rootless that runs
/// inside skiff's user namespace), then the container cgroups no container owns any more (<see cref="OrphanedCgroups"/>;
/// with --repair removed). Exit 0 when healthy, 1 when problems were found or remain (podman 5's system check also exits non-zero then).
/// Test hooks: SKIFF_CHECK_SUBUID, SKIFF_CHECK_SUBGID, SKIFF_CHECK_TUN, SKIFF_CHECK_FUSE override the paths examined.
/// </summary>
public static class SystemCheckCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var repair = new Option<bool>("--repair", "-r") { Description = "Remove what the image store and cgroup checks find that can safely go (orphaned blobs and layers, half-written blobs, stale locks, leftovers, orphaned cgroups)" };
        var storeOnly = new Option<bool>("--store-only") { Description = "Check only the image store", Hidden = true };
        var probeOverlay = new Option<bool>(OverlayProbeFlag) { Description = "Exit 0 when kernel overlay mounts here (run inside the user namespace)", Hidden = true };
        var command = new Command("check", "Check the machine and the current user's setup for rootless containers, and the image store") { repair, storeOnly, probeOverlay };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            CliContext context = globals.Resolve(parseResult);
            if (parseResult.GetValue(probeOverlay))
            {
                return Images.StorageServices.Selector(context).KernelOverlayWorks() ? ExitCodes.Success : 1;
            }

            bool fix = parseResult.GetValue(repair);
            IReadOnlyList<SystemProblem> problems = parseResult.GetValue(storeOnly) ? [] : await RunAsync(context, cancellationToken);
            Print(context.Out, problems, summary: false);
            int storeExit;
            if (fix && context.User.Rootless && !context.User.InsideUserNamespace)
            {
                // Unpacked layers hold files owned by subordinate ids: only skiff's user namespace can remove them.
                string self = Environment.ProcessPath ?? throw Skiff.Core.Errors.SkiffException.Internal("cannot find skiff's own executable");
                string[] arguments = [.. Environment.GetCommandLineArgs().Skip(1), "--store-only"];
                storeExit = await Skiff.Rootless.Storage.UserNamespaceReexec.ForUser(context.User, new Skiff.Core.Processes.ProcessRunner()).RunAsync(self, arguments, cancellationToken);
            }
            else
            {
                storeExit = CheckStore(context, fix);
            }

            int cgroupExit = ExitCodes.Success;
            if (!parseResult.GetValue(storeOnly))
            {
                cgroupExit = CheckCgroups(context, fix);
                context.Out.WriteLine(problems.Count == 0 ? "No system problems found." : $"{problems.Count} system problem(s) found.");
            }

            return problems.Count == 0 && storeExit == 0 && cgroupExit == 0 ? ExitCodes.Success : 1;
        });
        return command;
    }

    /// <summary>Checks (and with <paramref name="repair"/> cleans) the image store; prints each finding; 1 when problems remain.</summary>
    private static int CheckStore(CliContext context, bool repair)
    {
        StoreReport report = Images.ImageServices.StoreChecker(context).Run(new StoreCheckOptions { VerifyBlobs = true }, repair);
        if (report.Busy)
        {
            context.Out.WriteLine("Store: in use by another skiff process (pull, load, import, save or run); not checked, try again when it has finished.");
            return ExitCodes.Success;
        }

        foreach (StoreProblem done in report.Repaired.Where(p => !p.Housekeeping))
        {
            context.Out.WriteLine($"Repaired: [store] {done.Message} ({done.Subject})");
        }

        int tidied = report.Repaired.Count(p => p.Housekeeping);
        if (tidied > 0)
        {
            context.Out.WriteLine($"Tidied: [store] {tidied} lock file(s) of finished work");
        }

        List<StoreProblem> remaining = report.Remaining.Where(p => !p.Housekeeping).ToList();
        int found = report.Found.Count(p => !p.Housekeeping);
        Print(context.Out, remaining.Select(p => new SystemProblem("store", $"{p.Message} ({p.Subject})", p.Repairable ? "skiff system check --repair" : p.Fix)).ToList(), summary: false);
        context.Out.WriteLine(found == 0 ? "Store: no problems found."
            : $"Store: {found} problem(s) found, {found - remaining.Count} repaired, {remaining.Count} remaining.");
        return remaining.Count == 0 ? ExitCodes.Success : 1;
    }

    /// <summary>
    /// Reports (and with <paramref name="repair"/> removes) container cgroups under skiff's parent groups that no
    /// container owns any more; prints nothing where the user has no such parent (rootless without delegation).
    /// 1 when orphans remain.
    /// </summary>
    private static int CheckCgroups(CliContext context, bool repair)
    {
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        bool rootless = context.User.Rootless;
        CgroupDelegation? delegation = rootless && layout.UnifiedMount is not null ? CgroupDelegation.Probe(layout.UnifiedMount) : null;
        IReadOnlyList<string> parents = OrphanedCgroups.ParentsFor(layout, rootless, delegation);
        if (parents.Count == 0)
        {
            return ExitCodes.Success;
        }

        var orphans = new OrphanedCgroups(parents);
        HashSet<string> ids = Containers.ContainerServices.Store(context).ListIds().ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<string> found = orphans.Find(ids, DateTimeOffset.UtcNow);
        var remaining = new List<string>();
        foreach (string group in found)
        {
            if (repair && orphans.TryRemove(group))
            {
                context.Out.WriteLine($"Repaired: [cgroups] removed orphaned cgroup {group}");
            }
            else
            {
                remaining.Add(group);
            }
        }

        if (remaining.Count > 0)
        {
            const int Shown = 3;
            string paths = string.Join(", ", remaining.Take(Shown)) + (remaining.Count > Shown ? $" and {remaining.Count - Shown} more" : string.Empty);
            string fix = repair
                ? "a process joined them or they could not be removed: run skiff system check --repair again once nothing uses them"
                : "skiff system check --repair";
            Print(context.Out, [new SystemProblem("cgroups", $"{remaining.Count} orphaned cgroup(s) under skiff's parent groups (no process, no container of this store, made over a minute ago): {paths}", fix)], summary: false);
        }

        context.Out.WriteLine(found.Count == 0 ? "Cgroups: no orphaned groups found."
            : $"Cgroups: {found.Count} orphaned group(s) found, {found.Count - remaining.Count} removed, {remaining.Count} remaining.");
        return remaining.Count == 0 ? ExitCodes.Success : 1;
    }

    private const string OverlayProbeFlag = "--probe-overlay";

    public static async Task<IReadOnlyList<SystemProblem>> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var runner = new Skiff.Core.Processes.ProcessRunner();
        // The helpers skiff would run: its helper directories and PATH first (NetworkHelpers.Find's order).
        string[] programDirectories = Skiff.Rootless.Network.HelperDirectories.FromEnvironment().SearchOrder(Environment.GetEnvironmentVariable("PATH"))
            .Concat(["/usr/bin", "/usr/sbin", "/usr/local/bin", "/bin"]).Distinct(StringComparer.Ordinal).ToArray();
        string? Find(string program) => programDirectories.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
        NetworkHelperFacts helpers = await new NetworkHelperProbe(runner).ProbeAsync(Find("pasta"), Find("slirp4netns"), cancellationToken);
        bool? overlay = context.User.Rootless && !context.User.InsideUserNamespace ? await ProbeOverlayAsync(context, runner, cancellationToken) : null;
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
            ProgramDirectories = programDirectories,
            OwnerOf = FileOwner.Of,
            NetworkHelpers = helpers,
            OverlayInUserNamespace = overlay,
            FallbackStorageDriver = Skiff.Images.Snapshots.StorageDriverSelector.FuseOverlayAvailable() ? "fuse-overlayfs" : "vfs",
        };
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        CgroupDelegation? delegation = layout.UnifiedMount is null ? null : CgroupDelegation.Probe(layout.UnifiedMount);
        return SystemChecker.Run(options, layout, delegation);
    }

    /// <summary>
    /// Mounts a probe overlay inside skiff's user namespace (a re-executed <c>skiff system check --probe-overlay</c>);
    /// null when the namespace itself cannot be made (the subordinate-range checks report why).
    /// </summary>
    private static async Task<bool?> ProbeOverlayAsync(CliContext context, Skiff.Core.Processes.IProcessRunner runner, CancellationToken cancellationToken)
    {
        string? self = Environment.ProcessPath;
        if (self is null)
        {
            return null;
        }

        try
        {
            string[] arguments = [.. GlobalArguments(), "system", "check", OverlayProbeFlag];
            return await Skiff.Rootless.Storage.UserNamespaceReexec.ForUser(context.User, runner).RunAsync(self, arguments, cancellationToken) == ExitCodes.Success;
        }
        catch (Skiff.Core.Errors.SkiffException)
        {
            return null;
        }
    }

    /// <summary>The global options this skiff was started with (store paths), so the probe examines the same store.</summary>
    private static IEnumerable<string> GlobalArguments()
    {
        string[] args = Environment.GetCommandLineArgs().Skip(1).ToArray();
        int verb = Array.IndexOf(args, "system");
        return verb < 0 ? [] : args.Take(verb);
    }

    public static void Print(TextWriter o, IReadOnlyList<SystemProblem> problems, bool summary = true)
    {
        foreach (SystemProblem p in problems)
        {
            o.WriteLine($"Problem: [{p.Check}] {p.Message}");
            o.WriteLine($"  Fix: {p.Fix}");
        }

        if (summary)
        {
            o.WriteLine(problems.Count == 0 ? "No problems found." : $"{problems.Count} problem(s) found.");
        }
    }
}
