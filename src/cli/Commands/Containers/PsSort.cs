using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// <c>ps --sort KEY</c>, podman 4.3's keys and orders (compared here): <c>created</c> oldest first, <c>runningfor</c>
/// newest first, <c>command</c>, <c>id</c>, <c>image</c>, <c>names</c> and <c>status</c> (the STATUS text) by their text,
/// <c>size</c> by the writable layer's size (all equal without <c>--size</c>). Equal rows keep their order.
/// </summary>
public static class PsSort
{
    public static readonly string[] Keys = ["command", "created", "id", "image", "names", "runningfor", "size", "status"];

    /// <exception cref="SkiffException">InvalidArgument: not one of <see cref="Keys"/> (podman's words).</exception>
    public static string Check(string key) => Keys.Contains(key)
        ? key
        : throw SkiffException.InvalidArgument(
            $"invalid argument \"{key}\" for \"--sort\" flag: \"{key}\" is not a valid value.  Choose from: \"{string.Join(", ", Keys)}\"");

    /// <summary>The rows in <paramref name="key"/>'s order (a stable sort).</summary>
    /// <param name="size">The measured size of a container, null unless <c>--size</c>.</param>
    public static List<(ContainerConfig Config, ContainerState State)> Order(
        IEnumerable<(ContainerConfig Config, ContainerState State)> rows, string key, DateTimeOffset now, Func<ContainerConfig, ContainerSize?> size)
    {
        var list = rows.ToList();
        return key switch
        {
            "created" => list.OrderBy(r => r.Config.Created).ToList(),
            "runningfor" => list.OrderByDescending(r => r.Config.Created).ToList(),
            "command" => list.OrderBy(r => ContainerView.Command(r.Config), StringComparer.Ordinal).ToList(),
            "id" => list.OrderBy(r => r.Config.Id, StringComparer.Ordinal).ToList(),
            "image" => list.OrderBy(r => r.Config.Image, StringComparer.Ordinal).ToList(),
            "names" => list.OrderBy(r => r.Config.Name, StringComparer.Ordinal).ToList(),
            "status" => list.OrderBy(r => PsRow.Status(r.State, now), StringComparer.Ordinal).ToList(),
            "size" => list.OrderBy(r => size(r.Config)?.RwSize ?? 0).ToList(),
            _ => list,
        };
    }
}
