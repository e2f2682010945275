using Skiff.Core.Errors;
using Skiff.Images.Store;

namespace Skiff.Cli.Commands.Images;

/// <summary>
/// <c>images --sort KEY</c>, podman 4.3's keys and orders (compared here): <c>created</c> newest first (the default),
/// <c>id</c>, <c>repository</c>, <c>tag</c> by their text and <c>size</c> smallest first. Equal rows keep their order.
/// </summary>
public static class ImageSort
{
    public static readonly string[] Keys = ["created", "id", "repository", "size", "tag"];

    /// <exception cref="SkiffException">InvalidArgument: not one of <see cref="Keys"/> (podman's words).</exception>
    public static string Check(string key) => Keys.Contains(key)
        ? key
        : throw SkiffException.InvalidArgument($"\"{key}\" is not a valid field for sorting. Choose from: {string.Join(", ", Keys)}");

    /// <summary>The rows (an image and one of its names, null for none) in <paramref name="key"/>'s order, a stable sort.</summary>
    public static List<(ImageRecord Image, string? Name)> Order(IEnumerable<(ImageRecord Image, string? Name)> rows, string key) => key switch
    {
        "created" => rows.OrderByDescending(r => r.Image.Created).ToList(),
        "id" => rows.OrderBy(r => r.Image.Id, StringComparer.Ordinal).ToList(),
        "repository" => rows.OrderBy(r => Part(r.Name).Repository, StringComparer.Ordinal).ToList(),
        "tag" => rows.OrderBy(r => Part(r.Name).Tag, StringComparer.Ordinal).ToList(),
        "size" => rows.OrderBy(r => r.Image.Size).ToList(),
        _ => rows.ToList(),
    };

    private static (string Repository, string Tag) Part(string? name) => name is null ? (ImageNames.None, ImageNames.None) : ImageNames.Split(name);
}
