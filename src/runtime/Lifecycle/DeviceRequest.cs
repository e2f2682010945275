using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's --device HOST[:CONTAINER][:PERMISSIONS]: the container path defaults to the host path, the permissions
/// (some of r, w and m, each once) to rwm; with two fields the second is the permissions when it is a valid set of
/// them, else the container path, which must be absolute.
/// </summary>
public sealed record DeviceRequest(string Source, string Destination, string Permissions)
{
    public const string DefaultPermissions = "rwm";

    public static DeviceRequest Parse(string text)
    {
        string[] fields = text.Split(':');
        if (fields.Length > 3 || fields[0].Length == 0)
        {
            throw Invalid($"invalid device specification: {text}");
        }

        string source = fields[0];
        string destination = source;
        string permissions = DefaultPermissions;
        if (fields.Length >= 2)
        {
            if (fields.Length == 2 && IsPermissions(fields[1]))
            {
                permissions = fields[1];
            }
            else if (fields[1].StartsWith('/'))
            {
                destination = fields[1];
            }
            else
            {
                throw Invalid($"invalid device mode: {fields[1]}");
            }
        }

        if (fields.Length == 3)
        {
            permissions = IsPermissions(fields[2]) ? fields[2] : throw Invalid($"invalid device mode: {fields[2]}");
        }

        if (!source.StartsWith('/'))
        {
            throw Invalid($"invalid device specification: {text}: the host path must be absolute");
        }

        return new DeviceRequest(source, destination, permissions);
    }

    /// <summary>podman's check: 1 to 3 of r, w and m, none twice.</summary>
    public static bool IsPermissions(string text)
    {
        if (text.Length is 0 or > 3)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (c is not ('r' or 'w' or 'm') || text.IndexOf(c) != text.LastIndexOf(c))
            {
                return false;
            }
        }

        return true;
    }

    private static SkiffException Invalid(string message) =>
        SkiffException.InvalidArgument(message, "give --device HOST-PATH[:CONTAINER-PATH][:PERMISSIONS], e.g. --device /dev/fuse or --device /dev/null:/dev/mynull:r (permissions from r, w, m)");
}
