namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's --http-proxy (on by default): the proxy variables of skiff's own environment, lower and upper case,
/// become defaults of the container's environment. They sit under the image's variables and the flags' (an
/// image's ENV or -e of the same name wins), as podman puts them with containers.conf's defaults.
/// </summary>
public static class ProxyEnvironment
{
    /// <summary>The variables passed on, in podman's order.</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "ftp_proxy", "FTP_PROXY", "no_proxy", "NO_PROXY"];

    /// <summary>NAME=VALUE for each of <see cref="Names"/> that <paramref name="lookup"/> finds (an empty value counts, as podman's LookupEnv).</summary>
    public static IReadOnlyList<string> From(Func<string, string?> lookup)
    {
        var result = new List<string>();
        foreach (string name in Names)
        {
            if (lookup(name) is { } value)
            {
                result.Add($"{name}={value}");
            }
        }

        return result;
    }
}
