using Skiff.Runtime.Lifecycle;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>Starts and stops a <c>skiff __port-forward</c> (<see cref="PortForwarder"/>) for a container's monitor.</summary>
public static class PortForwarderProcess
{
    /// <summary>
    /// Starts the forwarder for the network namespace at <paramref name="netnsPath"/> (a /proc entry or a
    /// bound namespace file), connecting to <paramref name="target"/> there; returns its pid once it listens
    /// on every host port.
    /// </summary>
    public static int Start(string netnsPath, string target, IEnumerable<PublishedPort> ports) =>
        ReadyHelperProcess.Start(
            ReadyHelperProcess.Self,
            PortForwarder.BuildArguments(netnsPath, target, ports),
            newSession: false,
            "cannot publish the container's ports",
            "a published host port may be in use by another program; choose another with -p");

    /// <summary>Kills and reaps the forwarder; 0 (none started) is fine.</summary>
    public static void Stop(int forwarder) => ReadyHelperProcess.Stop(forwarder);
}
