using System.Buffers;
using System.Text.Json;
using Skiff.Runtime.Json;

namespace Skiff.Runtime.Spec;

/// <summary>
/// Writes <see cref="RuntimeSpec"/> as compact JSON with <see cref="Utf8JsonWriter"/> directly, in the shape
/// <see cref="SpecJsonContext"/> gives it (same names and order; members marked WhenWritingNull left out when
/// null, the others written as null). Used where the monitor sends the container's init its spec and where it puts
/// the resolved user into config.json, so neither process builds System.Text.Json's metadata for the spec on a
/// container's start (see <see cref="SpecJsonReader"/>).
/// </summary>
public static class SpecJsonWriter
{
    public static byte[] Write(RuntimeSpec spec, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Document(w, spec);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Writes the document to <paramref name="stream"/> as it goes: the writer hands its ~4 KiB buffer to the stream
    /// whenever it fills, where <see cref="Write(RuntimeSpec, bool)"/> doubles a buffer up to the whole document and
    /// copies it once more (config.json with the default seccomp profile is ~16 KiB indented: ~76 KiB of fresh memory,
    /// ~19 page faults in the CLI on every container's start).
    /// </summary>
    public static void Write(RuntimeSpec spec, Stream stream, bool indented = false)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented });
        Document(w, spec);
    }

    private static void Document(Utf8JsonWriter w, RuntimeSpec spec)
    {
        w.WriteStartObject();
        w.WriteString("ociVersion"u8, spec.OciVersion);
        w.WritePropertyName("process"u8);
        Process(w, spec.Process);
        w.WritePropertyName("root"u8);
        if (spec.Root is { } root)
        {
            w.WriteStartObject();
            w.WriteString("path"u8, root.Path);
            w.WriteBoolean("readonly"u8, root.Readonly);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteString("hostname"u8, spec.Hostname);
        w.WritePropertyName("mounts"u8);
        List(w, spec.Mounts, Mount);
        w.WritePropertyName("linux"u8);
        Linux(w, spec.Linux);
        if (spec.Annotations is { } annotations)
        {
            w.WritePropertyName("annotations"u8);
            Map(w, annotations);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// The linux.seccomp section on its own (what the CLI puts into config.json), as <see cref="Seccomp.SeccompJsonContext"/>
    /// writes it: the default profile resolves to ~350 syscall names, and its metadata cost the CLI ~0.5 ms.
    /// </summary>
    public static byte[] WriteSeccomp(SeccompSpec seccomp)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Seccomp(w, seccomp);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Process(Utf8JsonWriter w, ProcessSpec? process)
    {
        if (process is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        w.WriteBoolean("terminal"u8, process.Terminal);
        if (process.ConsoleSize is { } size)
        {
            w.WriteStartObject("consoleSize"u8);
            w.WriteNumber("height"u8, size.Height);
            w.WriteNumber("width"u8, size.Width);
            w.WriteEndObject();
        }

        w.WritePropertyName("user"u8);
        if (process.User is { } user)
        {
            w.WriteStartObject();
            w.WriteNumber("uid"u8, user.Uid);
            w.WriteNumber("gid"u8, user.Gid);
            if (user.Umask is { } umask)
            {
                w.WriteNumber("umask"u8, umask);
            }

            if (user.AdditionalGids is { } gids)
            {
                w.WritePropertyName("additionalGids"u8);
                List(w, gids, static (w, gid) => w.WriteNumberValue(gid));
            }

            w.WriteEndObject();
        }
        else
        {
            w.WriteNullValue();
        }

        w.WritePropertyName("args"u8);
        Strings(w, process.Args);
        w.WritePropertyName("env"u8);
        Strings(w, process.Env);
        w.WriteString("cwd"u8, process.Cwd);
        if (process.Capabilities is { } capabilities)
        {
            w.WriteStartObject("capabilities"u8);
            OptionalStrings(w, "bounding"u8, capabilities.Bounding);
            OptionalStrings(w, "effective"u8, capabilities.Effective);
            OptionalStrings(w, "inheritable"u8, capabilities.Inheritable);
            OptionalStrings(w, "permitted"u8, capabilities.Permitted);
            OptionalStrings(w, "ambient"u8, capabilities.Ambient);
            w.WriteEndObject();
        }

        if (process.Rlimits is { } rlimits)
        {
            w.WritePropertyName("rlimits"u8);
            List(w, rlimits, static (w, rlimit) =>
            {
                w.WriteStartObject();
                w.WriteString("type"u8, rlimit.Type);
                w.WriteNumber("hard"u8, rlimit.Hard);
                w.WriteNumber("soft"u8, rlimit.Soft);
                w.WriteEndObject();
            });
        }

        w.WriteBoolean("noNewPrivileges"u8, process.NoNewPrivileges);
        if (process.ApparmorProfile is { } apparmor)
        {
            w.WriteString("apparmorProfile"u8, apparmor);
        }

        if (process.OomScoreAdj is { } oomScoreAdj)
        {
            w.WriteNumber("oomScoreAdj"u8, oomScoreAdj);
        }

        w.WriteEndObject();
    }

    private static void Mount(Utf8JsonWriter w, SpecMount mount)
    {
        w.WriteStartObject();
        w.WriteString("destination"u8, mount.Destination);
        if (mount.Type is { } type)
        {
            w.WriteString("type"u8, type);
        }

        if (mount.Source is { } source)
        {
            w.WriteString("source"u8, source);
        }

        OptionalStrings(w, "options"u8, mount.Options);
        w.WriteEndObject();
    }

    private static void Linux(Utf8JsonWriter w, LinuxSpec? linux)
    {
        if (linux is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartObject();
        w.WritePropertyName("namespaces"u8);
        List(w, linux.Namespaces, static (w, ns) =>
        {
            w.WriteStartObject();
            w.WriteString("type"u8, ns.Type);
            if (ns.Path is { } path)
            {
                w.WriteString("path"u8, path);
            }

            w.WriteEndObject();
        });
        IdMappings(w, "uidMappings"u8, linux.UidMappings);
        IdMappings(w, "gidMappings"u8, linux.GidMappings);
        OptionalStrings(w, "maskedPaths"u8, linux.MaskedPaths);
        OptionalStrings(w, "readonlyPaths"u8, linux.ReadonlyPaths);
        if (linux.Seccomp is { } seccomp)
        {
            w.WritePropertyName("seccomp"u8);
            Seccomp(w, seccomp);
        }

        if (linux.Resources is { } resources)
        {
            w.WritePropertyName("resources"u8);
            Resources(w, resources);
        }

        if (linux.CgroupsPath is { } cgroupsPath)
        {
            w.WriteString("cgroupsPath"u8, cgroupsPath);
        }

        if (linux.RootfsPropagation is { } propagation)
        {
            w.WriteString("rootfsPropagation"u8, propagation);
        }

        if (linux.Sysctl is { } sysctl)
        {
            w.WritePropertyName("sysctl"u8);
            Map(w, sysctl);
        }

        if (linux.Devices is { } devices)
        {
            w.WritePropertyName("devices"u8);
            List(w, devices, static (w, device) =>
            {
                w.WriteStartObject();
                w.WriteString("type"u8, device.Type);
                w.WriteString("path"u8, device.Path);
                w.WriteNumber("major"u8, device.Major);
                w.WriteNumber("minor"u8, device.Minor);
                w.WriteOptionalNumber("fileMode"u8, device.FileMode);
                w.WriteOptionalNumber("uid"u8, device.Uid);
                w.WriteOptionalNumber("gid"u8, device.Gid);
                w.WriteEndObject();
            });
        }

        if (linux.Personality is { } personality)
        {
            w.WritePropertyName("personality"u8);
            w.WriteStartObject();
            w.WriteString("domain"u8, personality.Domain);
            OptionalStrings(w, "flags"u8, personality.Flags);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void IdMappings(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<IdMappingSpec>? mappings)
    {
        if (mappings is null)
        {
            return;
        }

        w.WritePropertyName(name);
        List(w, mappings, static (w, m) =>
        {
            w.WriteStartObject();
            w.WriteNumber("containerID"u8, m.ContainerId);
            w.WriteNumber("hostID"u8, m.HostId);
            w.WriteNumber("size"u8, m.Size);
            w.WriteEndObject();
        });
    }

    private static void Seccomp(Utf8JsonWriter w, SeccompSpec seccomp)
    {
        w.WriteStartObject();
        w.WriteString("defaultAction"u8, seccomp.DefaultAction);
        w.WriteOptionalNumber("defaultErrnoRet"u8, seccomp.DefaultErrnoRet);
        OptionalStrings(w, "architectures"u8, seccomp.Architectures);
        OptionalStrings(w, "flags"u8, seccomp.Flags);
        if (seccomp.Syscalls is { } syscalls)
        {
            w.WritePropertyName("syscalls"u8);
            List(w, syscalls, static (w, syscall) =>
            {
                w.WriteStartObject();
                w.WritePropertyName("names"u8);
                Strings(w, syscall.Names);
                w.WriteString("action"u8, syscall.Action);
                w.WriteOptionalNumber("errnoRet"u8, syscall.ErrnoRet);
                if (syscall.Args is { } args)
                {
                    w.WritePropertyName("args"u8);
                    List(w, args, static (w, arg) =>
                    {
                        w.WriteStartObject();
                        w.WriteNumber("index"u8, arg.Index);
                        w.WriteNumber("value"u8, arg.Value);
                        w.WriteNumber("valueTwo"u8, arg.ValueTwo);
                        w.WriteString("op"u8, arg.Op);
                        w.WriteEndObject();
                    });
                }

                w.WriteEndObject();
            });
        }

        w.WriteEndObject();
    }

    private static void Resources(Utf8JsonWriter w, ResourcesSpec resources)
    {
        w.WriteStartObject();
        if (resources.Memory is { } memory)
        {
            w.WriteStartObject("memory"u8);
            w.WriteOptionalNumber("limit"u8, memory.Limit);
            w.WriteOptionalNumber("reservation"u8, memory.Reservation);
            w.WriteOptionalNumber("swap"u8, memory.Swap);
            if (memory.Swappiness is { } swappiness)
            {
                w.WriteNumber("swappiness"u8, swappiness);
            }

            if (memory.DisableOomKiller is { } disableOomKiller)
            {
                w.WriteBoolean("disableOOMKiller"u8, disableOomKiller);
            }
            w.WriteEndObject();
        }

        if (resources.Cpu is { } cpu)
        {
            w.WriteStartObject("cpu"u8);
            if (cpu.Shares is { } shares)
            {
                w.WriteNumber("shares"u8, shares);
            }

            w.WriteOptionalNumber("quota"u8, cpu.Quota);
            if (cpu.Period is { } period)
            {
                w.WriteNumber("period"u8, period);
            }

            if (cpu.Cpus is { } cpus)
            {
                w.WriteString("cpus"u8, cpus);
            }

            if (cpu.Mems is { } mems)
            {
                w.WriteString("mems"u8, mems);
            }

            w.WriteEndObject();
        }

        if (resources.Pids is { } pids)
        {
            w.WriteStartObject("pids"u8);
            w.WriteNumber("limit"u8, pids.Limit);
            w.WriteEndObject();
        }

        if (resources.Devices is { } devices)
        {
            w.WritePropertyName("devices"u8);
            List(w, devices, static (w, rule) =>
            {
                w.WriteStartObject();
                w.WriteBoolean("allow"u8, rule.Allow);
                w.WriteOptionalString("type"u8, rule.Type);
                w.WriteOptionalNumber("major"u8, rule.Major);
                w.WriteOptionalNumber("minor"u8, rule.Minor);
                w.WriteOptionalString("access"u8, rule.Access);
                w.WriteEndObject();
            });
        }

        if (resources.BlockIo is { } blockIo)
        {
            w.WriteStartObject("blockIO"u8);
            if (blockIo.Weight is { } weight)
            {
                w.WriteNumber("weight"u8, weight);
            }

            if (blockIo.WeightDevice is { } weights)
            {
                w.WritePropertyName("weightDevice"u8);
                List(w, weights, static (w, device) =>
                {
                    w.WriteStartObject();
                    w.WriteNumber("major"u8, device.Major);
                    w.WriteNumber("minor"u8, device.Minor);
                    if (device.Weight is { } value)
                    {
                        w.WriteNumber("weight"u8, value);
                    }

                    w.WriteEndObject();
                });
            }

            Throttles(w, "throttleReadBpsDevice"u8, blockIo.ThrottleReadBpsDevice);
            Throttles(w, "throttleWriteBpsDevice"u8, blockIo.ThrottleWriteBpsDevice);
            Throttles(w, "throttleReadIOPSDevice"u8, blockIo.ThrottleReadIopsDevice);
            Throttles(w, "throttleWriteIOPSDevice"u8, blockIo.ThrottleWriteIopsDevice);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Throttles(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<ThrottleDeviceSpec>? throttles)
    {
        if (throttles is null)
        {
            return;
        }

        w.WritePropertyName(name);
        List(w, throttles, static (w, device) =>
        {
            w.WriteStartObject();
            w.WriteNumber("major"u8, device.Major);
            w.WriteNumber("minor"u8, device.Minor);
            w.WriteNumber("rate"u8, device.Rate);
            w.WriteEndObject();
        });
    }

    private static void List<T>(Utf8JsonWriter w, List<T>? items, Action<Utf8JsonWriter, T> item)
    {
        if (items is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartArray();
        w.WriteItems(items, item);

        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, List<string>? items) => List(w, items, static (w, s) => w.WriteStringValue(s));

    private static void OptionalStrings(Utf8JsonWriter w, ReadOnlySpan<byte> name, List<string>? items)
    {
        if (items is not null)
        {
            w.WritePropertyName(name);
            Strings(w, items);
        }
    }

    private static void Map(Utf8JsonWriter w, Dictionary<string, string> map)
    {
        w.WriteStartObject();
        foreach ((string key, string value) in map)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
    }
}
