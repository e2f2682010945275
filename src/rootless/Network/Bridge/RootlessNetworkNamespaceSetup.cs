using System.Globalization;
using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.Processes;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Monitor;
using Skiff.Rootless.Network.Netlink;
using Skiff.Runtime.Mounts;
using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>
/// Creates the rootless network namespace (see <see cref="RootlessNetworkNamespace"/>). Runs as root in a new
/// user namespace U (skiff re-executed with the user's maps) while still in the host's network namespace,
/// which pasta needs for its outside sockets: starts the holder in a new network namespace N, brings up its
/// loopback, enables forwarding there, and attaches pasta to N (gateway mapped to the host, so
/// host.containers.internal reaches the host's loopback, as <c>--network pasta:--map-gw</c>).
/// </summary>
public sealed class RootlessNetworkNamespaceSetup(RootlessNetworkNamespace netns, IProcessRunner runner, NetworkHelpers helpers)
{
    public const string Verb = "__rootless-netns";

    public void Run()
    {
        string pasta = helpers.Pasta ?? throw SkiffException.PrerequisiteMissing(
            "pasta is not installed: rootless user-defined networks need it",
            "install passt (Debian: apt-get install passt)");
        string unshare = Locate("unshare");
        string sleep = Locate("sleep");
        int holder;
        using (SafeFileHandle nullIn = Descriptors.OpenNull(write: false))
        using (SafeFileHandle nullOut = Descriptors.OpenNull(write: true))
        {
            holder = Spawner.Spawn(new SpawnRequest(unshare, ["--net", "--", sleep, "infinity"], RuntimeInvoker.CurrentEnvironment())
            {
                Descriptors = [(nullIn, 0), (nullOut, 1), (nullOut, 2)],
                NewSession = true,
            });
        }

        try
        {
            WaitForOwnNetns(holder);
            string path = RootlessNetworkNamespace.NetnsPath(holder);
            PrepareNamespace(path);
            var options = new PastaOptions
            {
                PidFile = netns.PastaPidFile,
                MapGatewayToHost = true,
                RunAs = "0:0",
            };
            File.Delete(options.PidFile);

            // pasta drops its capabilities before it opens the namespace, and then may no longer open the
            // holder's /proc entry: it gets the namespace bound to a file in this mount namespace, which it shares.
            string bound = netns.BoundNetnsFile;
            NetworkNamespaceFile.Remove(bound);
            File.WriteAllBytes(bound, []);
            new LinuxMountSyscalls().Mount(path, bound, null, MountFlags.Bind, null);
            // As for a container's pasta: .NET's ignored SIGPIPE would survive execve and this pasta refuses that;
            // and the same huge-page preload (PastaHugePages) shortens its start-up, which the first container waits for.
            string[] preload = PastaHugePages.Find() is { } library
                ? ["LD_PRELOAD=" + PastaHugePages.PreloadList(library, Environment.GetEnvironmentVariable("LD_PRELOAD"))]
                : [];
            Check("pasta", new ExternalCommand(Locate("env"), ["--default-signal=PIPE", .. preload, pasta, .. PastaNetwork.BuildArguments(options, bound)]));
            netns.Record(holder);
        }
        catch
        {
            ChildProcesses.TrySignal(holder, 9);
            throw;
        }
    }

    /// <summary>
    /// Loopback up and IPv4 and IPv6 forwarding on (dual-stack networks route through pasta too), by a thread in
    /// the namespace (its /proc/sys/net is the namespace's). A kernel without IPv6 has no IPv6 switch: skipped.
    /// </summary>
    private static void PrepareNamespace(string path)
    {
        try
        {
            ThreadNetworkNamespace.RunIn(path, () =>
            {
                using RouteNetlink netlink = RouteNetlink.Open();
                netlink.SetUp(netlink.LinkIndex("lo"));
                File.WriteAllText("/proc/sys/net/ipv4/ip_forward", "1");
                if (File.Exists("/proc/sys/net/ipv6/conf/all/forwarding"))
                {
                    File.WriteAllText("/proc/sys/net/ipv6/conf/all/forwarding", "1");
                }
                return true;
            });
        }
        catch (Exception e) when (e is SystemCallException or IOException or UnauthorizedAccessException)
        {
            throw SkiffException.Unavailable($"could not set up the rootless network namespace: {e.Message}");
        }
    }

    private void Check(string what, ExternalCommand command)
    {
        ExternalResult result = runner.TryRunAsync(command with { Timeout = TimeSpan.FromSeconds(20) }).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
        {
            throw SkiffException.Unavailable(
                $"could not set up the rootless network namespace ({what}): {NetworkHelperErrors.Clean(result.StandardError)}",
                NetworkHelperErrors.HintFor(result.StandardError, "pasta"));
        }
    }

    /// <summary>unshare(1) enters the new namespace right after exec; entering the holder's before that would reach ours.</summary>
    private static void WaitForOwnNetns(int pid)
    {
        string own = Link("/proc/self/ns/net");
        for (int i = 0; i < 400; i++)
        {
            string theirs = Link($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/ns/net");
            if (theirs.Length == 0)
            {
                throw SkiffException.Internal("the rootless network namespace holder ended at once");
            }

            if (theirs != own)
            {
                return;
            }

            Thread.Sleep(5);
        }

        throw SkiffException.Internal("the rootless network namespace holder did not create its namespace");
    }

    private static string Link(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }

    private static string Locate(string program) =>
        new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" }.Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists)
            ?? throw SkiffException.PrerequisiteMissing($"{program} is not installed", "install util-linux and coreutils");
}
