namespace Skiff.Rootless.Network;

/// <summary>Which network helpers are installed, and the rootless default (pasta, else slirp4netns, as podman 5).</summary>
public sealed record NetworkHelpers(string? Pasta, string? Slirp4netns)
{
    public static NetworkHelpers Find(string? pathVariable = null)
    {
        string[] directories = (pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/bin", "/usr/local/bin", "/usr/libexec/podman"])
            .ToArray();
        return new NetworkHelpers(Locate("pasta", directories), Locate("slirp4netns", directories));
    }

    /// <summary>The default mode for a new container: pasta when installed, else slirp4netns; root gets the same, else none.</summary>
    public NetworkKind DefaultKind => Pasta is not null ? NetworkKind.Pasta : Slirp4netns is not null ? NetworkKind.Slirp4netns : NetworkKind.None;

    private static string? Locate(string program, IEnumerable<string> directories)
    {
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
