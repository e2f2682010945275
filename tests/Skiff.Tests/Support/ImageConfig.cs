namespace Skiff.Tests.Support;

/// <summary>The runtime part of an image config ("config" in the OCI image config JSON).</summary>
public sealed class ImageConfig
{
    public List<string> Env { get; set; } = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"];

    public List<string>? Cmd { get; set; } = ["sh"];

    public List<string>? Entrypoint { get; set; }

    public string? WorkingDir { get; set; }

    public string? User { get; set; }

    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>"80/tcp" style keys.</summary>
    public List<string> ExposedPorts { get; set; } = [];

    public List<string> Volumes { get; set; } = [];

    public string? StopSignal { get; set; }

    /// <summary>docker's Healthcheck object (Test, Interval, Timeout, StartPeriod, Retries; durations in nanoseconds).</summary>
    public System.Text.Json.Nodes.JsonObject? Healthcheck { get; set; }
}
