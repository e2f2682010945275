namespace Skiff.Rootless.Network.Dns;

/// <summary>Starts and stops a network's <c>skiff __dns</c> (<see cref="DnsServer"/>).</summary>
public static class DnsServerProcess
{
    /// <summary>
    /// Starts the responder in a session of its own and returns its pid once it listens. With
    /// <paramref name="netnsPath"/> (rootless: the rootless network namespace) it is started through nsenter
    /// into that namespace, which execs it without a fork, so the pid is the responder's.
    /// </summary>
    public static int Start(IReadOnlyList<string> arguments, string? netnsPath, string nsenter)
    {
        string self = ReadyHelperProcess.Self;
        (string program, IReadOnlyList<string> argv) = netnsPath is null
            ? (self, arguments)
            : (nsenter, ["--net=" + netnsPath, "--", self, .. arguments]);
        return ReadyHelperProcess.Start(
            program,
            argv,
            newSession: true,
            "cannot start the network's DNS server",
            "another program may listen on port 53 of the network's gateway address; or create the network with --disable-dns");
    }

    /// <summary>Stops the responder and waits until it has ended (<see cref="ReadyHelperProcess.Stop"/>).</summary>
    public static void Stop(int pid) => ReadyHelperProcess.Stop(pid);
}
