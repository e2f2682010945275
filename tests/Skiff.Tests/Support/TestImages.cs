using System.Diagnostics;
using Xunit.Abstractions;

namespace Skiff.Tests.Support;

/// <summary>
/// Test images built from Debian's busybox-static, so no test needs the internet: a base layer with
/// /bin/busybox, one symlink per applet, /etc/passwd and /etc/group, and the usual directories.
/// </summary>
public static class TestImages
{
    public const string BusyboxPath = "/bin/busybox";

    /// <summary>Applets every test may rely on; more are present when this busybox has them.</summary>
    public static readonly IReadOnlyList<string> RequiredApplets =
        ["sh", "ls", "cat", "echo", "id", "sleep", "true", "false", "env", "touch", "mkdir", "rm", "stat", "ps", "wc", "head", "grep", "hostname", "readlink", "chmod", "chown", "ln", "cp", "mv", "date", "kill", "test", "printf", "uname", "mount", "tail", "sed", "find", "wget", "nc", "sha256sum", "dd", "seq", "whoami", "pwd"];

    private static readonly Lazy<IReadOnlyList<string>> Applets = new(ListApplets);

    public const string Passwd = "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n";

    public const string Group = "root:x:0:\ndaemon:x:1:\napp:x:1000:\nnogroup:x:65534:\n";

    /// <summary>The busybox base layer (about 1 MB gzip-compressed), optionally with other account files.</summary>
    public static LayerBuilder BusyboxLayer(string passwd = Passwd, string group = Group)
    {
        if (!File.Exists(BusyboxPath))
        {
            Assert.Fail($"{BusyboxPath} is missing; tests/run.sh installs it (apt-get install busybox-static)");
        }

        byte[] busybox = File.ReadAllBytes(BusyboxPath);
        var layer = new LayerBuilder();
        foreach (string dir in new[] { "/bin", "/dev", "/etc", "/home", "/proc", "/sys", "/usr", "/usr/bin", "/usr/sbin", "/sbin", "/var", "/var/spool", "/var/www" })
        {
            layer.Directory(dir);
        }

        layer.Directory("/root", mode: 0b111_000_000);
        layer.Directory("/tmp", mode: Convert.ToInt32("1777", 8));
        layer.Directory("/home/app", uid: 1000, gid: 1000);
        layer.File(BusyboxPath, busybox, mode: 0b111_101_101);
        foreach (string applet in Applets.Value.Where(a => a != "busybox"))
        {
            layer.Symlink($"/bin/{applet}", "busybox");
        }

        layer.File("/etc/passwd", passwd);
        layer.File("/etc/group", group);
        layer.File("/etc/hostname", "busybox\n");
        return layer;
    }

    /// <summary>A builder holding the busybox layer and a config running sh; add layers or config before writing.</summary>
    public static OciImageBuilder Busybox(LayerCompression compression = LayerCompression.Gzip) =>
        new OciImageBuilder().Layer(BusyboxLayer(), compression);

    /// <summary>Writes the plain busybox image into <paramref name="layoutDirectory"/>.</summary>
    public static OciImage WriteBusybox(string layoutDirectory, string tag = "latest") =>
        Busybox().WriteLayout(layoutDirectory, tag);

    /// <summary>The busybox root filesystem as a plain tar (what install.sh's starter image is), for <c>skiff import</c>.</summary>
    public static string WriteBusyboxRootfsTar(string path, string passwd = Passwd, string group = Group)
    {
        File.WriteAllBytes(path, BusyboxLayer(passwd, group).ToTar());
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("644", 8));
        return path;
    }

    /// <summary>
    /// Pushes an image from its layout with skopeo (an independent client, so a skiff bug cannot hide
    /// behind a matching skiff pull) to <c>registry/name:tag</c>; returns that reference.
    /// </summary>
    public static async Task<string> PushAsync(OciImage image, LocalRegistry registry, string name, string? tag = null, ITestOutputHelper? log = null)
    {
        string reference = registry.Reference(name, tag ?? image.Tag);
        var arguments = new List<string> { "copy", "--insecure-policy", "--quiet", "--preserve-digests" };
        if (registry.Tls)
        {
            arguments.AddRange(["--dest-cert-dir", Path.GetDirectoryName(Path.Combine(registry.CertsDirectory, registry.Address, "ca.crt"))!]);
        }
        else
        {
            arguments.Add("--dest-tls-verify=false");
        }

        if (registry.Credentials is not null)
        {
            arguments.AddRange(["--dest-creds", registry.Credentials]);
        }

        arguments.AddRange([image.OciReference, $"docker://{reference}"]);
        (await TestProcess.RunAsync(new ProcessSpec("skopeo", arguments) { Timeout = TimeSpan.FromSeconds(120) }, log)).AssertSuccess();
        return reference;
    }

    /// <summary>Builds the busybox image in a fresh layout under <paramref name="workDirectory"/> and pushes it.</summary>
    public static async Task<string> PushBusyboxAsync(LocalRegistry registry, string name, string workDirectory, string tag = "latest", ITestOutputHelper? log = null)
    {
        OciImage image = WriteBusybox(Path.Combine(workDirectory, $"layout-{Guid.NewGuid():N}"), tag);
        return await PushAsync(image, registry, name, tag, log);
    }

    private static IReadOnlyList<string> ListApplets()
    {
        var startInfo = new ProcessStartInfo(BusyboxPath, "--list") { RedirectStandardOutput = true, UseShellExecute = false };
        using Process process = Process.Start(startInfo)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToList();
    }
}
