using Skiff.Core.Errors;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// A parsed --pid, --ipc or --uts value: host, private, container:ID|NAME, ns:PATH, and for ipc shareable and none.
/// <see cref="ToString"/> gives it as podman stores and shows it (HostConfig.PidMode, IpcMode, UTSMode).
/// </summary>
/// <param name="Value">The container (a name or id as given, the full id once resolved) or the path.</param>
public sealed record NamespaceMode(NamespaceModeKind Kind, string? Value = null)
{
    public static NamespaceMode Default { get; } = new(NamespaceModeKind.Default);

    /// <summary>Parses <paramref name="text"/>; null or empty is the default. <paramref name="ipc"/> also allows shareable and none.</summary>
    public static NamespaceMode Parse(string? text, bool ipc = false)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? text : text[..colon];
        string? value = colon < 0 ? null : text[(colon + 1)..];
        NamespaceModeKind kind = name switch
        {
            "host" when value is null => NamespaceModeKind.Host,
            "private" when value is null => NamespaceModeKind.Private,
            "shareable" when value is null && ipc => NamespaceModeKind.Shareable,
            "none" when value is null && ipc => NamespaceModeKind.None,
            "container" when value is not null => NamespaceModeKind.Container,
            "ns" when value is not null => NamespaceModeKind.Path,
            // podman's messages, exit 125 both.
            "container" or "ns" => throw SkiffException.InvalidArgument(
                $"invalid config provided: namespace mode {name} requires a value",
                name == "ns" ? "give the path of a namespace file, e.g. ns:/run/netns/NAME" : "give the name or id of a container, e.g. container:web"),
            _ => throw SkiffException.InvalidArgument(
                $"unrecognized namespace mode {text} passed",
                ipc ? "use host, private, shareable, none, container:NAME or ns:PATH" : "use host, private, container:NAME or ns:PATH"),
        };
        if (value is { Length: 0 })
        {
            throw SkiffException.InvalidArgument(
                $"invalid config provided: namespace mode {name} requires a value",
                name == "ns" ? "give the path of a namespace file, e.g. ns:/run/netns/NAME" : "give the name or id of a container, e.g. container:web");
        }

        if (kind == NamespaceModeKind.Path && !System.IO.Path.IsPathFullyQualified(value!))
        {
            throw SkiffException.InvalidArgument($"namespace path {value} is not absolute", "give the absolute path of a namespace file, e.g. ns:/run/netns/NAME");
        }

        return new NamespaceMode(kind, value);
    }

    /// <summary>Whether the container has a namespace of this type of its own.</summary>
    public bool Own => Kind is NamespaceModeKind.Default or NamespaceModeKind.Private or NamespaceModeKind.Shareable or NamespaceModeKind.None;

    /// <summary>The id of the container whose namespace is joined, else null.</summary>
    public string? Container => Kind == NamespaceModeKind.Container ? Value : null;

    /// <summary>As podman shows it; the default as podman's ("private", for ipc "shareable").</summary>
    public string Show(bool ipc = false) => Kind == NamespaceModeKind.Default ? (ipc ? "shareable" : "private") : ToString();

    /// <summary>As stored in the container's configuration ("" for the default).</summary>
    public override string ToString() => Kind switch
    {
        NamespaceModeKind.Default => string.Empty,
        NamespaceModeKind.Private => "private",
        NamespaceModeKind.Host => "host",
        NamespaceModeKind.Shareable => "shareable",
        NamespaceModeKind.None => "none",
        NamespaceModeKind.Container => "container:" + Value,
        _ => "ns:" + Value,
    };
}
