using System.Globalization;
using Skiff.Core.Errors;
using Skiff.Core.Processes;

namespace Skiff.Rootless.Network;

/// <summary>
/// pasta (from passt): connects a container's network namespace to the host's stack without privileges,
/// forwarding published ports and, on request, the host's loopback. It moves itself to the background
/// once the namespace is configured, so starting it is one runner call; it does not exit when the
/// namespace's process does, so it is stopped explicitly through its pid file.
/// </summary>
public sealed class PastaNetwork
{
    private readonly IProcessRunner _runner;
    private readonly string _program;

    public PastaNetwork(IProcessRunner runner, string program = "pasta")
    {
        _runner = runner;
        _program = program;
    }

    /// <summary>The argv (without the program) that connects the network namespace of <paramref name="pid"/>.</summary>
    public static IReadOnlyList<string> BuildArguments(PastaOptions options, int pid)
    {
        // The pid form joins the process's user namespace as well as its network namespace.
        List<string> args = BuildCommon(options);
        args.Add(pid.ToString(CultureInfo.InvariantCulture));
        return args;
    }

    /// <summary>
    /// The argv that connects a network namespace bound to a file (podman's way): pasta stays in its own user
    /// namespace and exits by itself once the file is removed.
    /// </summary>
    public static IReadOnlyList<string> BuildArguments(PastaOptions options, string netnsPath)
    {
        List<string> args = BuildCommon(options);
        args.Add("--netns");
        args.Add(netnsPath);
        return args;
    }

    private static List<string> BuildCommon(PastaOptions options)
    {
        List<string> args = options.TapDescriptor is int tap
            ? ["--fd", tap.ToString(CultureInfo.InvariantCulture), "--quiet", "--pid", options.PidFile]
            : ["--config-net", "--quiet", "--pid", options.PidFile];
        if (options.RunAs is not null)
        {
            args.Add("--runas");
            args.Add(options.RunAs);
        }

        if (options.DnsForward is not null)
        {
            args.Add("--dns-forward");
            args.Add(options.DnsForward);
        }

        if (!options.MapGatewayToHost)
        {
            args.Add("--no-map-gw");
        }

        bool Given(params string[] flags) => options.ExtraArguments.Any(a => flags.Contains(a) || flags.Any(f => f.StartsWith("--", StringComparison.Ordinal) && a.StartsWith(f + "=", StringComparison.Ordinal)));
        if (!Given("-t", "--tcp-ports") || options.Ports.Any(p => p.Protocol == PortProtocol.Tcp))
        {
            AddPorts(args, "-t", options.Ports.Where(p => p.Protocol == PortProtocol.Tcp));
        }

        if (!Given("-u", "--udp-ports") || options.Ports.Any(p => p.Protocol == PortProtocol.Udp))
        {
            AddPorts(args, "-u", options.Ports.Where(p => p.Protocol == PortProtocol.Udp));
        }

        // Nothing from the container's own ports back to the host's namespace unless the user asks (-T/-U).
        if (!Given("-T", "--tcp-ns"))
        {
            args.AddRange(["-T", "none"]);
        }

        if (!Given("-U", "--udp-ns"))
        {
            args.AddRange(["-U", "none"]);
        }

        args.AddRange(options.ExtraArguments);
        return args;
    }

    /// <summary>pasta's port syntax: [ADDRESS/]HOST[-HOSTEND]:CONTAINER[-CONTAINEREND].</summary>
    public static string PortSpec(PortMapping p)
    {
        string prefix = p.HostIp is null ? string.Empty : p.HostIp + "/";
        string host = p.Count == 1 ? Num(p.HostPort) : $"{Num(p.HostPort)}-{Num(p.HostPort + p.Count - 1)}";
        string container = p.Count == 1 ? Num(p.ContainerPort) : $"{Num(p.ContainerPort)}-{Num(p.ContainerPort + p.Count - 1)}";
        return $"{prefix}{host}:{container}";
    }

    public async Task StartAsync(PastaOptions options, int pid, CancellationToken cancellationToken = default)
    {
        // .NET ignores SIGPIPE and an ignored signal stays ignored across execve; this pasta version treats
        // signal(SIGPIPE, SIG_IGN) returning SIG_IGN as failure ("Couldn't install signal handlers"), so it
        // must start with the default disposition, which coreutils' env restores.
        var command = new ExternalCommand("env", ["--default-signal=PIPE", _program, .. BuildArguments(options, pid)])
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        ExternalResult result = await _runner.TryRunAsync(command, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            string detail = NetworkHelperErrors.Clean(result.StandardError);
            throw new SkiffException(
                ErrorKind.Unavailable,
                $"pasta could not set up the container's network (exit code {result.ExitCode}): {detail}",
                NetworkHelperErrors.HintFor(detail, "pasta"));
        }
    }

    /// <summary>Stops the pasta of a container; a pasta that already exited is fine.</summary>
    public static void Stop(string pidFile) => HelperPids.Kill(pidFile);

    private static void AddPorts(List<string> args, string flag, IEnumerable<PortMapping> ports)
    {
        bool any = false;
        foreach (PortMapping port in ports)
        {
            args.Add(flag);
            args.Add(PortSpec(port));
            any = true;
        }

        if (!any)
        {
            args.Add(flag);
            args.Add("none");
        }
    }

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
