using System.Buffers;
using System.Text.Json;
using static Skiff.Core.Json.JsonFields;

namespace Skiff.Runtime.Containers;

/// <summary>
/// The runtime's state.json (<see cref="ContainerRecord"/>), read and written by hand: the monitor writes it
/// once the init is ready and reads it back to start the container, on every start, and System.Text.Json's
/// metadata for it cost ~0.5 ms of CPU there (see <see cref="Lifecycle.ContainerConfigJson"/>). The bytes and
/// the reading rules are <see cref="StateJsonContext"/>'s (ContainerRecordJsonTests compares them).
/// </summary>
public static class ContainerRecordJson
{
    public static byte[] Write(ContainerRecord record)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ociVersion"u8, record.OciVersion);
            w.WriteString("id"u8, record.Id);
            w.WriteNumber("pid"u8, record.Pid);
            w.WriteNumber("startTime"u8, record.StartTime);
            w.WriteString("bundle"u8, record.Bundle);
            w.WriteString("rootfs"u8, record.Rootfs);
            w.WriteString("created"u8, record.Created);
            w.WriteNumber("owner"u8, record.Owner);
            w.WritePropertyName("annotations"u8);
            if (record.Annotations is { } annotations)
            {
                w.WriteStartObject();
                foreach ((string key, string value) in annotations)
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteString("cgroupPath"u8, record.CgroupPath);
            w.WriteBoolean("paused"u8, record.Paused);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Returns null for a document that is JSON null; throws <see cref="JsonException"/> for anything else that is not a record.</summary>
    public static ContainerRecord? Read(ReadOnlySpan<byte> json)
    {
        var r = new Utf8JsonReader(json);
        try
        {
            ContainerRecord? record = null;
            if (StartObject(ref r))
            {
                record = new ContainerRecord();
                while (NextProperty(ref r))
                {
                    if (r.ValueTextEquals("ociVersion"u8)) { record.OciVersion = String(ref r)!; }
                    else if (r.ValueTextEquals("id"u8)) { record.Id = String(ref r)!; }
                    else if (r.ValueTextEquals("pid"u8)) { record.Pid = Int32(ref r); }
                    else if (r.ValueTextEquals("startTime"u8)) { record.StartTime = UInt64(ref r); }
                    else if (r.ValueTextEquals("bundle"u8)) { record.Bundle = String(ref r)!; }
                    else if (r.ValueTextEquals("rootfs"u8)) { record.Rootfs = String(ref r)!; }
                    else if (r.ValueTextEquals("created"u8)) { record.Created = DateTime(ref r); }
                    else if (r.ValueTextEquals("owner"u8)) { record.Owner = UInt32(ref r); }
                    else if (r.ValueTextEquals("annotations"u8)) { record.Annotations = Map(ref r); }
                    else if (r.ValueTextEquals("cgroupPath"u8)) { record.CgroupPath = String(ref r); }
                    else if (r.ValueTextEquals("paused"u8)) { record.Paused = Bool(ref r); }
                    else { Skip(ref r); }
                }
            }

            if (r.Read())
            {
                throw new JsonException("unexpected content after the container record");
            }

            return record;
        }
        catch (JsonException e) when (e.LineNumber is null)
        {
            throw WithLine(json, r.TokenStartIndex, e.Message);
        }
    }
}
