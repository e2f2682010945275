using Skiff.Core.Errors;

namespace Skiff.Runtime.Logs;

/// <summary>The log drivers skiff knows (podman's names).</summary>
public static class LogDrivers
{
    public const string K8sFile = "k8s-file";
    public const string JsonFile = "json-file";
    public const string None = "none";

    /// <summary>podman's passthrough: the container's stdio are the caller's own descriptors, and nothing is logged.</summary>
    public const string Passthrough = "passthrough";

    /// <summary>Whether the driver keeps a log file (none and passthrough do not).</summary>
    public static bool WritesFile(string driver) => driver is not (None or Passthrough);

    public static string Validate(string driver) => driver switch
    {
        K8sFile or JsonFile or None or Passthrough => driver,
        "journald" => throw SkiffException.InvalidArgument("log driver journald is not supported: there is no journal on this machine", "use --log-driver k8s-file, json-file, none or passthrough"),
        _ => throw SkiffException.InvalidArgument($"invalid log driver: {driver}", "use --log-driver k8s-file, json-file, none or passthrough"),
    };

    /// <summary>RFC 3339 with nanoseconds in UTC, as podman writes them.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "00Z";
}
