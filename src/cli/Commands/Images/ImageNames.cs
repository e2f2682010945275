namespace Skiff.Cli.Commands.Images;

/// <summary>Splits stored names (<c>docker.io/library/busybox:latest</c>) into the REPOSITORY and TAG columns.</summary>
public static class ImageNames
{
    public const string None = "<none>";

    public static (string Repository, string Tag) Split(string name)
    {
        int at = name.IndexOf('@');
        if (at >= 0)
        {
            return (name[..at], None);
        }

        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? (name[..colon], name[(colon + 1)..]) : (name, None);
    }
}
