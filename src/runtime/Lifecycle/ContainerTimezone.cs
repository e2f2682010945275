using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's --tz: the host's zone file bound read-only at the container's /etc/localtime. A zone is a name under
/// /usr/share/zoneinfo (Europe/Paris, UTC, Etc/GMT+2); "local" is the host's own /etc/localtime.
/// </summary>
public static class ContainerTimezone
{
    public const string Local = "local";

    private const string ZoneInfo = "/usr/share/zoneinfo";

    /// <summary>Checks the zone at create, with podman's error for one the host does not have.</summary>
    public static string Validate(string zone)
    {
        // A name is a path under zoneinfo: '..' would reach any host file.
        if (zone.Length == 0 || zone.StartsWith('/') || zone.Split('/').Any(part => part is "" or "." or ".."))
        {
            throw SkiffException.InvalidArgument($"invalid timezone \"{zone}\"", "give --tz an area/zone under /usr/share/zoneinfo (e.g. Europe/Paris), or local");
        }

        string path = HostFile(zone);
        if (!File.Exists(path))
        {
            throw SkiffException.NotFound(
                $"running container create option: stat {(zone == Local ? "/etc/localtime" : Path.Join(ZoneInfo, zone))}: no such file or directory",
                "give --tz an area/zone under /usr/share/zoneinfo (e.g. Europe/Paris), or local");
        }

        return zone;
    }

    /// <summary>The host file to bind: the zone's file, or what the host's /etc/localtime links to.</summary>
    public static string HostFile(string zone)
    {
        string path = zone == Local ? "/etc/localtime" : Path.Join(ZoneInfo, zone);
        try
        {
            return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        }
        catch (IOException)
        {
            return path;
        }
    }
}
