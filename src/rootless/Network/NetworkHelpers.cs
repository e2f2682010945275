namespace Skiff.Rootless.Network;

/// <summary>Which network helpers are installed, and the rootless default (pasta, else slirp4netns, as podman 5).</summary>
public sealed record NetworkHelpers(string? Pasta, string? Slirp4netns)
{
    /// <summary>The helpers this process uses: skiff's helper directories first, then PATH (<see cref="HelperDirectories"/>).</summary>
    public static NetworkHelpers Find() =>
        Find(HelperDirectories.FromEnvironment().SearchOrder(Environment.GetEnvironmentVariable("PATH")));

    public static NetworkHelpers Find(IReadOnlyList<string> directories) =>
        new(Locate("pasta", directories), Locate("slirp4netns", directories));

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
