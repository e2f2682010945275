using System.Globalization;
using System.Net;

namespace Skiff.Rootless.Network;

/// <summary>The host's default-route interface address and gateway, (from /proc/net/route and the interface list).</summary>
public sealed record HostAddresses(string? Address, string? Gateway)
{
    public static HostAddresses Detect()
    {
        string? device = null;
        string? gateway = null;
        try
        {
            // /proc/net/route: Iface Destination Gateway ... in little-endian hex; the default route has destination 0.
            foreach (string line in File.ReadLines("/proc/net/route").Skip(1))
            {
                string[] f = line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > 2 && f[1] == "00000000" && uint.TryParse(f[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint gw))
                {
                    device = f[0];
                    gateway = new IPAddress(gw).ToString();
                    break;
                }
            }
        }
        catch (IOException)
        {
        }

        string? address = null;
        foreach (System.Net.NetworkInformation.NetworkInterface nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
        {
            if (device is not null && nic.Name != device)
            {
                continue;
            }

            address = nic.GetIPProperties().UnicastAddresses
                .Select(a => a.Address)
                .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString();
            if (address is not null)
            {
                break;
            }
        }

        return new HostAddresses(address, gateway);
    }
}
