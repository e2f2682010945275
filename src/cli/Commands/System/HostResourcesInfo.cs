using Skiff.Cli.Output;
using Skiff.Rootless.Checks;
using Skiff.Rootless.Network;
using Skiff.Runtime.Cgroups;

namespace Skiff.Cli.Commands.System;

/// <summary>The cgroup and network facts of `skiff info`, under podman's names (cgroupVersion, cgroupManager, networkBackend, pasta, slirp4netns).</summary>
public static class HostResourcesInfo
{
    public static async Task AddToAsync(TemplateObject host, CliContext context, CancellationToken cancellationToken)
    {
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        host["cgroupVersion"] = layout.Mode switch
        {
            CgroupMode.Unified => "v2",
            CgroupMode.Hybrid or CgroupMode.Legacy => "v1",
            _ => "none",
        };
        host["cgroupMode"] = layout.Mode.ToString().ToLowerInvariant();
        host["cgroupManager"] = Manager(layout, context);
        NetworkHelpers helpers = NetworkHelpers.Find();
        host["networkBackend"] = helpers.DefaultKind.ToString().ToLowerInvariant();
        // podman 5's name for the network mode new containers get (pasta, else slirp4netns).
        host["rootlessNetworkCmd"] = helpers.DefaultKind.ToString().ToLowerInvariant();
        // Which pasta skiff runs (its helper directory comes before PATH) and what it says its version is.
        string? pastaVersion = helpers.Pasta is { } pasta ? await new NetworkHelperProbe(context.Runner).PastaVersionAsync(pasta, cancellationToken) : null;
        host["pasta"] = new TemplateObject("define.PastaInfo") { ["executable"] = helpers.Pasta ?? string.Empty, ["version"] = pastaVersion ?? string.Empty };
        host["slirp4netns"] = new TemplateObject("define.SlirpInfo") { ["executable"] = helpers.Slirp4netns ?? string.Empty };
    }

    private static string Manager(CgroupLayout layout, CliContext context)
    {
        if (UsesSystemd(context))
        {
            return CgroupManagers.Systemd;
        }

        if (!context.User.Rootless)
        {
            return layout.Mode == CgroupMode.None ? "none" : "cgroupfs";
        }

        if (layout.Mode != CgroupMode.Unified)
        {
            return "none (rootless on cgroup v1: limits cannot be enforced)";
        }

        CgroupDelegation delegation = CgroupDelegation.Probe(layout.UnifiedMount!);
        return delegation.Writable
            ? $"cgroupfs (delegated: {string.Join(' ', delegation.Controllers.Order(StringComparer.Ordinal))})"
            : "none (no delegated cgroup: limits cannot be enforced)";
    }

    /// <summary>True when new containers would get a systemd scope (a bus found on cgroup v2, not --cgroup-manager=cgroupfs).</summary>
    private static bool UsesSystemd(CliContext context)
    {
        try
        {
            return ContainerCgroups.ForHost(context.User.Rootless, context.CgroupManager, context.User.Uid).DefaultManagerName() == CgroupManagers.Systemd;
        }
        catch (Core.Errors.SkiffException)
        {
            // --cgroup-manager=systemd where it cannot work: run reports that; info shows what would be used otherwise.
            return false;
        }
    }
}
