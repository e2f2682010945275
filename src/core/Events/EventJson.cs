using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Skiff.Core.Events;

/// <summary>
/// An event as one JSON line, podman's file format and its <c>events --format json</c> output:
/// <c>{"ContainerExitCode":1,"ID":"…","Image":"…","Name":"…","Status":"died","Time":"2026-…Z","Type":"container","Attributes":{}}</c>.
/// Written and read by hand (Utf8JsonWriter/Reader): monitors write events and must stay free of reflection.
/// </summary>
public static class EventJson
{
    public static byte[] Line(EngineEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, e);
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter w, EngineEvent e)
    {
        w.WriteStartObject();
        if (e.ContainerExitCode is int code && code != 0)
        {
            w.WriteNumber("ContainerExitCode"u8, code);
        }

        WriteOptional(w, "ID"u8, e.Id);
        WriteOptional(w, "Image"u8, e.Image);
        WriteOptional(w, "Name"u8, e.Name);
        WriteOptional(w, "Network"u8, e.Network);
        w.WriteString("Status"u8, e.Status);
        w.WriteString("Time"u8, FormatTime(e.Time));
        w.WriteString("Type"u8, e.Type);
        WriteOptional(w, "health_status"u8, e.HealthStatus);
        if (e.Attributes is null)
        {
            w.WriteNull("Attributes"u8);
        }
        else
        {
            w.WriteStartObject("Attributes"u8);
            foreach ((string key, string value) in e.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                w.WriteString(key, value);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>RFC 3339 in UTC with the fraction's trailing zeros dropped, as Go writes a time.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        time = time.ToUniversalTime();
        string fraction = (time.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture).TrimEnd('0');
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fraction.Length > 0 ? "." + fraction : string.Empty) + "Z";
    }

    public static bool TryParse(ReadOnlySpan<byte> line, [NotNullWhen(true)] out EngineEvent? parsed)
    {
        parsed = null;
        try
        {
            var r = new Utf8JsonReader(line);
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? type = null, status = null, id = null, name = null, image = null, network = null, health = null;
            DateTimeOffset? time = null;
            int? code = null;
            Dictionary<string, string>? attributes = null;
            while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
            {
                string property = r.GetString()!;
                r.Read();
                switch (property)
                {
                    case "Type": type = r.GetString(); break;
                    case "Status": status = r.GetString(); break;
                    case "ID": id = r.GetString(); break;
                    case "Name": name = r.GetString(); break;
                    case "Image": image = r.GetString(); break;
                    case "Network": network = r.GetString(); break;
                    case "health_status": health = r.GetString(); break;
                    case "ContainerExitCode": code = r.GetInt32(); break;
                    case "Time":
                        time = DateTimeOffset.Parse(r.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                        break;
                    case "Attributes" when r.TokenType == JsonTokenType.StartObject:
                        attributes = new Dictionary<string, string>(StringComparer.Ordinal);
                        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                        {
                            string key = r.GetString()!;
                            r.Read();
                            attributes[key] = r.TokenType == JsonTokenType.String ? r.GetString()! : string.Empty;
                        }

                        break;
                    default:
                        r.Skip();
                        break;
                }
            }

            if (type is null || status is null || time is null)
            {
                return false;
            }

            parsed = new EngineEvent(type, status, time.Value)
            {
                Id = id, Name = name, Image = image, Network = network, ContainerExitCode = code, HealthStatus = health, Attributes = attributes,
            };
            return true;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }
}
