using System.Runtime.InteropServices;
using System.Text.Json;
using Skiff.Runtime.Seccomp;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The runtime-spec "features" document (features.md) that `skiff oci features` prints: what this runtime
/// implements, so an engine can check before it writes a bundle.
/// </summary>
public static class RuntimeFeatures
{
    private static readonly string[] MountOptionNames =
    [
        "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "lazytime", "noatime", "nodev",
        "nodiratime", "noexec", "norelatime", "nostrictatime", "nosuid", "nosymfollow", "private", "rbind", "relatime",
        "ro", "rprivate", "rshared", "rslave", "runbindable", "rw", "shared", "slave", "strictatime", "suid", "sync", "unbindable",
    ];

    private static readonly string[] SeccompActionNames =
    [
        "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
    ];

    private static readonly string[] SeccompOperatorNames =
    [
        "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
    ];

    public static byte[] Json()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("ociVersionMin", "1.0.0");
            writer.WriteString("ociVersionMax", Spec.RuntimeSpec.Version);
            WriteList(writer, "hooks", []);
            WriteList(writer, "mountOptions", MountOptionNames);
            writer.WriteStartObject("linux");
            WriteList(writer, "namespaces", ["cgroup", "ipc", "mount", "network", "pid", "user", "uts"]);
            WriteList(writer, "capabilities", Spec.Capabilities.All);
            writer.WriteStartObject("cgroup");
            writer.WriteBoolean("v1", true);
            writer.WriteBoolean("v2", true);
            writer.WriteBoolean("systemd", false);
            writer.WriteBoolean("systemdUser", false);
            writer.WriteEndObject();
            writer.WriteStartObject("seccomp");
            writer.WriteBoolean("enabled", true);
            WriteList(writer, "actions", SeccompActionNames);
            WriteList(writer, "operators", SeccompOperatorNames);
            WriteList(writer, "archs", [SeccompArchitectures.Native(RuntimeInformation.OSArchitecture)]);
            writer.WriteEndObject();
            writer.WriteStartObject("apparmor");
            writer.WriteBoolean("enabled", false);
            writer.WriteEndObject();
            writer.WriteStartObject("selinux");
            writer.WriteBoolean("enabled", false);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteList(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
