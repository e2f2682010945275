using System.Globalization;
using System.Text.Json.Serialization;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Cgroups;

/// <summary>
/// One devices-cgroup rule: allow or deny access of some of read, write and mknod to devices of a type
/// ('a' all, 'c' character, 'b' block) and number (null = any, written '*').
/// </summary>
public sealed record DeviceRule(bool Allow, char Type, long? Major, long? Minor, string Access)
{
    /// <summary>
    /// What runc, crun and podman allow every container besides its own devices (read from a podman --runtime runc
    /// container's devices.list here): mknod of any node, null, zero, full, random, urandom, tty, ptmx, the pty
    /// slaves (136:*) and /dev/net/tun.
    /// </summary>
    public static IReadOnlyList<DeviceRule> Defaults { get; } =
    [
        new(true, 'c', null, null, "m"),
        new(true, 'b', null, null, "m"),
        new(true, 'c', 1, 3, "rwm"),
        new(true, 'c', 1, 5, "rwm"),
        new(true, 'c', 1, 7, "rwm"),
        new(true, 'c', 1, 8, "rwm"),
        new(true, 'c', 1, 9, "rwm"),
        new(true, 'c', 5, 0, "rwm"),
        new(true, 'c', 5, 2, "rwm"),
        new(true, 'c', 136, null, "rwm"),
        new(true, 'c', 10, 200, "rwm"),
    ];

    public static DeviceRule DenyAll { get; } = new(false, 'a', null, null, "rwm");

    public static DeviceRule AllowAll { get; } = new(true, 'a', null, null, "rwm");

    /// <summary>Whether this rule covers every device with every access (the v1 kernel's "a" entry).</summary>
    [JsonIgnore]
    public bool IsAll => Type == 'a' && Major is null && Minor is null && Access.Length == 3;

    /// <summary>The v1 devices.allow/devices.deny line, and podman's --device-cgroup-rule syntax: "c 1:3 rwm".</summary>
    public override string ToString() => IsAll ? "a" : $"{Type} {Number(Major)}:{Number(Minor)} {Access}";

    /// <summary>podman's --device-cgroup-rule: TYPE MAJOR:MINOR ACCESS with TYPE a, b or c, numbers or '*', ACCESS from r, w, m.</summary>
    public static DeviceRule Parse(string text)
    {
        string[] fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 3)
        {
            throw Invalid($"invalid device cgroup rule requires type, major:Minor, and access rules: \"{text}\"");
        }

        if (fields[0] is not ("a" or "b" or "c"))
        {
            throw Invalid($"invalid device type in device-access-add: {fields[0]}");
        }

        string[] numbers = fields[1].Split(':');
        if (numbers.Length != 2)
        {
            throw Invalid($"invalid device cgroup rule requires type, major:Minor, and access rules: \"{text}\"");
        }

        string access = fields[2];
        foreach (char c in access)
        {
            if (c is not ('r' or 'w' or 'm') || access.IndexOf(c) != access.LastIndexOf(c))
            {
                throw Invalid($"invalid device access in device-access-add: {c}");
            }
        }

        return new DeviceRule(true, fields[0][0], ParseNumber(numbers[0]), ParseNumber(numbers[1]), Normalize(access));
    }

    /// <summary>Access letters in the kernel's order (r, w, m), so equal rules compare equal.</summary>
    public static string Normalize(string access) =>
        string.Concat(access.Contains('r') ? "r" : string.Empty, access.Contains('w') ? "w" : string.Empty, access.Contains('m') ? "m" : string.Empty);

    private static long? ParseNumber(string text)
    {
        if (text == "*")
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value <= uint.MaxValue
            ? value
            : throw Invalid($"invalid device number in device cgroup rule: \"{text}\"");
    }

    private static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "*";

    private static SkiffException Invalid(string message) =>
        SkiffException.InvalidArgument(message, "give --device-cgroup-rule as 'TYPE MAJOR:MINOR ACCESS', e.g. 'c 1:3 rwm' (type a, b or c; '*' for any number; access from r, w, m)");
}
