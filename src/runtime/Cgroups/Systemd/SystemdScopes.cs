using System.Collections;
using Skiff.Core.Errors;
using Skiff.Core.Users;

namespace Skiff.Runtime.Cgroups.Systemd;

/// <summary>Opens the D-Bus client for the current user's systemd instance (session bus rootless, system bus as root).</summary>
public static class SystemdScopes
{
    /// <summary>The client for <paramref name="user"/>'s systemd, or an error naming what is missing.</summary>
    public static SystemdDbusClient Connect(CurrentUser user, TimeSpan? timeout = null)
    {
        string address = SystemdBus.FindAddress(user.Rootless, Environment())
            ?? throw SkiffException.PrerequisiteMissing(
                "the systemd cgroup manager needs systemd running as PID 1 and its D-Bus socket: none was found",
                "use --cgroup-manager=cgroupfs");
        return new SystemdDbusClient(address, user.Uid, timeout);
    }

    /// <summary>Stops skiff's scope for a container that ended (best effort: systemd drops an empty scope by itself).</summary>
    public static void TryStop(string unitName, CurrentUser user)
    {
        try
        {
            using SystemdDbusClient client = Connect(user, TimeSpan.FromSeconds(5));
            client.StopScopeAsync(unitName).GetAwaiter().GetResult();
        }
        catch (SkiffException)
        {
        }
    }

    private static Dictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value;
        }

        return environment;
    }
}
