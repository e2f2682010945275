using System.Diagnostics;
using System.Globalization;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Spec;
using Skiff.Tests.Support;

namespace Skiff.Tests.E2E.Runtime;

/// <summary>
/// An OCI bundle whose rootfs is the host's static busybox plus applet symlinks, with a config.json
/// from <see cref="SpecDefaults"/> (podman's defaults), for driving `skiff oci` and crun directly.
/// </summary>
public sealed class BusyboxBundle
{
    private static readonly string[] Applets =
    [
        "sh", "ls", "cat", "echo", "id", "hostname", "sleep", "grep", "head", "wc", "touch", "true", "false", "test",
        "readlink", "stat", "mount", "tr", "sort", "printf",
    ];

    private BusyboxBundle(string path, RuntimeSpec spec, TestUser? owner)
    {
        Path = path;
        Spec = spec;
        Owner = owner;
    }

    public string Path { get; }

    public string Rootfs => System.IO.Path.Combine(Path, "rootfs");

    public RuntimeSpec Spec { get; }

    /// <summary>The rootless user the bundle belongs to, or null for root.</summary>
    public TestUser? Owner { get; }

    /// <summary>
    /// Creates the bundle in <paramref name="parent"/>. Rootless, the user namespace maps the user to 0
    /// (and, with <paramref name="subordinateIds"/>, 1..65536 to its subordinate range).
    /// </summary>
    public static BusyboxBundle Create(string parent, TestUser? owner, IReadOnlyList<string> args, bool subordinateIds = false)
    {
        string path = System.IO.Path.Combine(parent, "bundle-" + Guid.NewGuid().ToString("N")[..8]);
        string bin = System.IO.Path.Combine(path, "rootfs", "bin");
        Directory.CreateDirectory(bin);
        File.Copy("/bin/busybox", System.IO.Path.Combine(bin, "busybox"));
        foreach (string applet in Applets)
        {
            File.CreateSymbolicLink(System.IO.Path.Combine(bin, applet), "busybox");
        }

        // Mount points exist up front: a root mapped into a user namespace cannot create them in a root-owned tree.
        foreach (string dir in new[] { "proc", "dev", "sys", "tmp", "etc", "root" })
        {
            Directory.CreateDirectory(System.IO.Path.Combine(path, "rootfs", dir));
        }

        File.WriteAllText(System.IO.Path.Combine(path, "rootfs", "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        IdMap? map = null;
        if (owner is not null)
        {
            map = subordinateIds
                ? new IdMap([new(0, owner.Uid, 1), new(1, SubordinateStart(owner.Name, "/etc/subuid"), 65536)], [new(0, owner.Gid, 1), new(1, SubordinateStart(owner.Name, "/etc/subgid"), 65536)])
                : new IdMap([new(0, owner.Uid, 1)], [new(0, owner.Gid, 1)]);
        }

        RuntimeSpec spec = SpecDefaults.Create(new SpecDefaultsOptions(args) { Hostname = "skiffbox", UserNamespace = map });
        var bundle = new BusyboxBundle(path, spec, owner);
        bundle.Save();
        return bundle;
    }

    /// <summary>Writes config.json (after a test changed <see cref="Spec"/>) and hands the bundle to its owner.</summary>
    public void Save()
    {
        SpecFile.Save(Spec, Path);
        if (Owner is not null && !Owner.RunsAsSelf)
        {
            using var chown = Process.Start("chown", ["-R", $"{Owner.Uid.ToString(CultureInfo.InvariantCulture)}:{Owner.Gid.ToString(CultureInfo.InvariantCulture)}", Path])!;
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }
    }

    private static uint SubordinateStart(string user, string file)
    {
        foreach (string line in File.ReadLines(file))
        {
            string[] fields = line.Split(':');
            if (fields.Length == 3 && fields[0] == user)
            {
                return uint.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }

        Assert.Fail($"{user} has no range in {file}");
        return 0;
    }
}
