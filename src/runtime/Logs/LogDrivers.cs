using Skiff.Core.Errors;

namespace Skiff.Runtime.Logs;

/// <summary>The log drivers skiff knows (podman's names).</summary>
public static class LogDrivers
{
    public const string K8sFile = "k8s-file";
    public const string JsonFile = "json-file";
    public const string None = "none";

    public static string Validate(string driver) => driver switch
    {
        K8sFile or JsonFile or None => driver,
        "journald" => throw SkiffException.InvalidArgument("log driver journald is not supported: there is no journal on this machine", "use --log-driver k8s-file, json-file or none"),
        _ => throw SkiffException.InvalidArgument($"invalid log driver: {driver}", "use --log-driver k8s-file, json-file or none"),
    };

    /// <summary>RFC 3339 with nanoseconds in UTC, as podman writes them.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "00Z";
}
