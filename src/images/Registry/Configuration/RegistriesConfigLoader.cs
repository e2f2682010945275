namespace Skiff.Images.Registry.Configuration;

/// <summary>
/// Finds and merges registries.conf the way containers/image does, so skiff honours what podman users
/// already configured: <c>$CONTAINERS_REGISTRIES_CONF</c> alone when set; otherwise the user's
/// <c>$XDG_CONFIG_HOME/containers/registries.conf</c> if it exists, else <c>/etc/containers/registries.conf</c>;
/// then the drop-ins (<c>*.conf</c>, e.g. shortnames.conf) of <c>/etc/containers/registries.conf.d</c> and the
/// user's <c>registries.conf.d</c>, in name order, each overriding what came before.
/// </summary>
public sealed class RegistriesConfigLoader(IReadOnlyDictionary<string, string?> environment, string systemDirectory = "/etc/containers")
{
    public const string EnvironmentVariable = "CONTAINERS_REGISTRIES_CONF";

    public IReadOnlyList<string> Files()
    {
        string? explicitFile = environment.GetValueOrDefault(EnvironmentVariable);
        if (!string.IsNullOrEmpty(explicitFile))
        {
            return [explicitFile];
        }

        string? userDirectory = UserDirectory();
        var files = new List<string>();
        string? userFile = userDirectory is null ? null : Path.Combine(userDirectory, "registries.conf");
        files.Add(userFile is not null && File.Exists(userFile) ? userFile : Path.Combine(systemDirectory, "registries.conf"));
        foreach (string dropIns in new[] { Path.Combine(systemDirectory, "registries.conf.d"), userDirectory is null ? null : Path.Combine(userDirectory, "registries.conf.d") }.OfType<string>())
        {
            if (Directory.Exists(dropIns))
            {
                files.AddRange(Directory.EnumerateFiles(dropIns, "*.conf").Order(StringComparer.Ordinal));
            }
        }

        return files;
    }

    public RegistriesConfig Load()
    {
        RegistriesConfig config = RegistriesConfig.Default;
        foreach (string file in Files())
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                throw Core.Errors.SkiffException.InvalidArgument($"cannot read registries configuration {file}: permission denied", $"make {file} readable or set {EnvironmentVariable}");
            }

            config = RegistriesConfigParser.Parse(text, file, config);
        }

        return config;
    }

    private string? UserDirectory()
    {
        string? configHome = environment.GetValueOrDefault("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(configHome))
        {
            string? home = environment.GetValueOrDefault("HOME");
            if (string.IsNullOrEmpty(home))
            {
                return null;
            }

            configHome = Path.Combine(home, ".config");
        }

        return Path.Combine(configHome, "containers");
    }
}
