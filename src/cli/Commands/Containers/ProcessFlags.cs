using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's run/create flags about the container's process: <c>--unsetenv NAME</c> and <c>--unsetenv-all</c>
/// (default variables left out: the image's, PATH, TERM; -e, --env-file and --env-host still set any),
/// <c>--umask</c>, <c>--oom-score-adj</c> and <c>--tz</c>.
/// </summary>
public sealed class ProcessFlags
{
    public Option<string[]> UnsetEnv { get; } = new("--unsetenv") { Description = "Unset a default environment variable (the image's, PATH, TERM)" };

    public Option<bool> UnsetEnvAll { get; } = new("--unsetenv-all") { Description = "Unset all default environment variables" };

    public Option<string?> Umask { get; } = new("--umask") { Description = "Set umask in container (default 0022)" };

    public Option<string?> OomScoreAdj { get; } = new("--oom-score-adj") { Description = "Tune the host's OOM preferences (-1000 to 1000)" };

    public Option<string?> Timezone { get; } = new("--tz") { Description = "Set timezone in container (an area/zone under /usr/share/zoneinfo, or local)" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { UnsetEnv, UnsetEnvAll, Umask, OomScoreAdj, Timezone })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The image's variables less those --unsetenv or --unsetenv-all take away.</summary>
    public IReadOnlyList<string> ImageEnv(ParseResult parse, IReadOnlyList<string> image)
    {
        if (parse.GetValue(UnsetEnvAll))
        {
            return [];
        }

        string[] unset = parse.GetValue(UnsetEnv) ?? [];
        return unset.Length == 0 ? image : [.. image.Where(variable => !unset.Contains(variable.Split('=', 2)[0], StringComparer.Ordinal))];
    }

    public ContainerConfig Apply(ParseResult parse, ContainerConfig config, bool rootless) => config with
    {
        UnsetEnv = parse.GetValue(UnsetEnv) ?? [],
        UnsetEnvAll = parse.GetValue(UnsetEnvAll),
        Umask = parse.GetValue(Umask) is { } umask ? ParseUmask(umask) : null,
        OomScoreAdj = parse.GetValue(OomScoreAdj) is { } adj
            ? OomScoreAdjust.Parse(adj, rootless, OomScoreAdjust.Current(), OomScoreAdjust.CanLower())
            : null,
        Timezone = parse.GetValue(Timezone) is { } zone ? ContainerTimezone.Validate(zone) : null,
    };

    /// <summary>podman's --umask: up to four octal digits (0022, 77, 1777); the process gets the permission bits.</summary>
    public static uint ParseUmask(string text)
    {
        uint value = 0;
        if (text.Length is 0 or > 4 || !text.All(c => c is >= '0' and <= '7'))
        {
            throw SkiffException.InvalidArgument($"invalid umask string {text}: invalid argument", "give --umask an octal mask, e.g. 0022 or 077");
        }

        foreach (char digit in text)
        {
            value = (value * 8) + (uint)(digit - '0');
        }

        return value;
    }

    /// <summary>podman's Config.Umask: four octal digits.</summary>
    public static string FormatUmask(uint value) => Convert.ToString(value, 8).PadLeft(4, '0');
}
