using System.Globalization;
using Skiff.Core.Errors;

namespace Skiff.Rootless.IdMaps;

/// <summary>A parsed <c>--userns</c> value: the mode and its options (keep-id's uid/gid, auto's size).</summary>
/// <param name="Target">The container (as given, then its full id) or the path of container: and ns:.</param>
public sealed record UserNamespaceMode(UserNamespaceKind Kind, uint? Uid = null, uint? Gid = null, uint? Size = null, string? Target = null)
{
    public const string Hint = "use --userns=host, keep-id[:uid=N,gid=N], nomap, auto[:size=N], container:NAME or ns:PATH";

    public static UserNamespaceMode Default { get; } = new(UserNamespaceKind.Default);

    public static UserNamespaceMode Parse(string? value)
    {
        if (value is null)
        {
            return Default;
        }

        string[] parts = value.Split(':', 2);
        string name = parts[0];
        string[] options = parts.Length == 2 ? parts[1].Split(',') : [];
        switch (name)
        {
            case "" or "host" when options.Length == 0:
                return new UserNamespaceMode(UserNamespaceKind.Host);
            case "nomap" when options.Length == 0:
                return new UserNamespaceMode(UserNamespaceKind.NoMap);
            case "keep-id":
                var keep = new UserNamespaceMode(UserNamespaceKind.KeepId);
                foreach (string option in options)
                {
                    keep = Option(value, option) switch
                    {
                        ("uid", uint id) => keep with { Uid = id },
                        ("gid", uint id) => keep with { Gid = id },
                        _ => throw Invalid(value, $"unknown keep-id option \"{option}\""),
                    };
                }

                return keep;
            case "container" or "ns" when parts.Length == 2 && parts[1].Length > 0:
                if (name == "ns" && !System.IO.Path.IsPathFullyQualified(parts[1]))
                {
                    throw Invalid(value, "the namespace path must be absolute");
                }

                return new UserNamespaceMode(name == "ns" ? UserNamespaceKind.Path : UserNamespaceKind.Container, Target: parts[1]);
            case "auto":
                var auto = new UserNamespaceMode(UserNamespaceKind.Auto);
                foreach (string option in options)
                {
                    auto = Option(value, option) switch
                    {
                        ("size", uint size) when size > 0 => auto with { Size = size },
                        _ => throw Invalid(value, $"unknown or invalid auto option \"{option}\""),
                    };
                }

                return auto;
            default:
                throw Invalid(value, null);
        }
    }

    /// <summary>The value as podman shows it in HostConfig.UsernsMode.</summary>
    public override string ToString() => Kind switch
    {
        UserNamespaceKind.Default => string.Empty,
        UserNamespaceKind.Host => "host",
        UserNamespaceKind.NoMap => "nomap",
        UserNamespaceKind.Private => "private",
        UserNamespaceKind.KeepId => "keep-id" + Options(("uid", Uid), ("gid", Gid)),
        UserNamespaceKind.Auto => "auto" + Options(("size", Size)),
        UserNamespaceKind.Container => "container:" + Target,
        UserNamespaceKind.Path => "ns:" + Target,
        _ => Kind.ToString(),
    };

    private static string Options(params (string Name, uint? Value)[] options)
    {
        string[] set = [.. options.Where(o => o.Value is not null).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Name}={o.Value}"))];
        return set.Length == 0 ? string.Empty : ":" + string.Join(',', set);
    }

    private static (string Name, uint Value) Option(string value, string option)
    {
        string[] kv = option.Split('=', 2);
        if (kv.Length != 2 || !uint.TryParse(kv[1], NumberStyles.None, CultureInfo.InvariantCulture, out uint number))
        {
            throw Invalid(value, $"option \"{option}\" must be NAME=NUMBER");
        }

        return (kv[0], number);
    }

    private static SkiffException Invalid(string value, string? detail) =>
        SkiffException.InvalidArgument($"invalid --userns \"{value}\"" + (detail is null ? string.Empty : ": " + detail), Hint);
}
