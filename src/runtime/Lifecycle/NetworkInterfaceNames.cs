using System.Globalization;

namespace Skiff.Runtime.Lifecycle;

/// <summary>The names of a container's interfaces on user-defined networks: eth0, eth1, ... in the order they were given or connected.</summary>
public static class NetworkInterfaceNames
{
    public static string At(int index) => "eth" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="name"/> is one of the ethN names skiff gives (not one given with interface_name=).</summary>
    public static bool IsNumbered(string name) =>
        name.StartsWith("eth", StringComparison.Ordinal) && name.Length > 3 && name.AsSpan(3).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>The lowest ethN none of <paramref name="endpoints"/> uses (a disconnected interface's name is free again).</summary>
    public static string NextFree(IEnumerable<NetworkEndpoint> endpoints)
    {
        var used = endpoints.Select(e => e.InterfaceName).ToHashSet(StringComparer.Ordinal);
        for (int n = 0; ; n++)
        {
            if (!used.Contains(At(n)))
            {
                return At(n);
            }
        }
    }
}
