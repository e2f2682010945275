using Skiff.Rootless.Network;
using Skiff.Runtime.Cgroups;

namespace Skiff.Cli.Commands.System;

/// <summary>The cgroup and network lines of `skiff info` (podman names: cgroupVersion, cgroupManager, networkBackend).</summary>
public static class HostResourcesInfo
{
    public static void Write(TextWriter o, CliContext context)
    {
        CgroupLayout layout = CgroupLayoutDetector.Detect();
        string version = layout.Mode switch
        {
            CgroupMode.Unified => "v2",
            CgroupMode.Hybrid => "v1 (hybrid)",
            CgroupMode.Legacy => "v1",
            _ => "none",
        };
        o.WriteLine($"  cgroupVersion: {version}");
        string manager;
        if (!context.User.Rootless)
        {
            manager = "cgroupfs";
        }
        else if (layout.Mode != CgroupMode.Unified)
        {
            manager = "none (rootless on cgroup v1: limits cannot be enforced)";
        }
        else
        {
            CgroupDelegation delegation = CgroupDelegation.Probe(layout.UnifiedMount!);
            manager = delegation.Writable
                ? $"cgroupfs (delegated: {string.Join(' ', delegation.Controllers.Order(StringComparer.Ordinal))})"
                : "none (no delegated cgroup: limits cannot be enforced)";
        }

        o.WriteLine($"  cgroupManager: {manager}");
        NetworkHelpers helpers = NetworkHelpers.Find();
        o.WriteLine($"  networkBackend: {helpers.DefaultKind.ToString().ToLowerInvariant()}");
        o.WriteLine($"  pasta: {helpers.Pasta ?? "not installed"}");
        o.WriteLine($"  slirp4netns: {helpers.Slirp4netns ?? "not installed"}");
    }
}
