namespace Skiff.Images.Registry.Auth;

/// <summary>
/// Where credentials live, as podman and docker keep them. An explicit file (<c>--authfile</c>, else
/// <c>$REGISTRY_AUTH_FILE</c>) is the only one read and written. Otherwise reading tries, in order,
/// <c>$XDG_RUNTIME_DIR/containers/auth.json</c> (without XDG_RUNTIME_DIR, root: <c>/run/containers/0/auth.json</c>),
/// <c>$XDG_CONFIG_HOME/containers/auth.json</c> and <c>~/.docker/config.json</c>; login writes the first.
/// </summary>
public sealed class AuthFileLocations
{
    public const string EnvironmentVariable = "REGISTRY_AUTH_FILE";

    private AuthFileLocations(IReadOnlyList<string> readOrder, string writeTarget, bool isExplicit)
    {
        ReadOrder = readOrder;
        WriteTarget = writeTarget;
        IsExplicit = isExplicit;
    }

    public IReadOnlyList<string> ReadOrder { get; }

    public string WriteTarget { get; }

    public bool IsExplicit { get; }

    public static AuthFileLocations Resolve(string? authFileFlag, IReadOnlyDictionary<string, string?> environment, bool rootless, uint uid)
    {
        string? explicitFile = NonEmpty(authFileFlag) ?? NonEmpty(environment.GetValueOrDefault(EnvironmentVariable));
        if (explicitFile is not null)
        {
            return new AuthFileLocations([explicitFile], explicitFile, isExplicit: true);
        }

        string home = NonEmpty(environment.GetValueOrDefault("HOME")) ?? (rootless ? "/" : "/root");
        string? runtimeDir = NonEmpty(environment.GetValueOrDefault("XDG_RUNTIME_DIR"));
        // Root honours XDG_RUNTIME_DIR too when it is set (a login session or a sandbox), else podman's /run/containers/0.
        string runtimeFile = runtimeDir is not null
            ? Path.Combine(runtimeDir, "containers", "auth.json")
            : rootless ? Path.Combine(Path.GetTempPath(), $"containers-user-{uid}", "containers", "auth.json") : "/run/containers/0/auth.json";
        string configHome = NonEmpty(environment.GetValueOrDefault("XDG_CONFIG_HOME")) ?? Path.Combine(home, ".config");
        var order = new List<string>
        {
            runtimeFile,
            Path.Combine(configHome, "containers", "auth.json"),
            Path.Combine(home, ".docker", "config.json"),
        };
        return new AuthFileLocations(order, runtimeFile, isExplicit: false);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
