using Skiff.Core.Events;

namespace Skiff.Cli.Commands.Images;

/// <summary>Image events as podman writes them: the image's id without <c>sha256:</c>, and the name the verb was about.</summary>
public static class ImageEvents
{
    public static void Record(CliContext context, string status, string? id, string? name) =>
        context.Events.Write(new EngineEvent("image", status, DateTimeOffset.UtcNow)
        {
            Id = id is not null && id.StartsWith("sha256:", StringComparison.Ordinal) ? id["sha256:".Length..] : id,
            Name = name,
        });

    /// <summary>
    /// The events of an rmi from its report's lines (<c>Untagged: NAME</c>, <c>Deleted: ID</c>, in the order they
    /// happened); <paramref name="idsByName"/> holds the images' names as they were before.
    /// </summary>
    /// <summary>Every name and digest of the stored images with its image's id, read before a removal for <see cref="RecordRemoval"/>.</summary>
    public static IReadOnlyDictionary<string, string> IdsByName(Skiff.Images.Local.LocalImages local)
    {
        var idsByName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Skiff.Images.Store.ImageRecord record in local.Images.List())
        {
            foreach (string name in record.Names.Concat(record.Digests))
            {
                idsByName[name] = record.Id;
            }
        }

        return idsByName;
    }

    public static void RecordRemoval(CliContext context, IEnumerable<string> lines, IReadOnlyDictionary<string, string> idsByName)
    {
        string? lastName = null;
        foreach (string line in lines)
        {
            if (line.StartsWith("Untagged: ", StringComparison.Ordinal))
            {
                lastName = line["Untagged: ".Length..];
                Record(context, "untag", idsByName.GetValueOrDefault(lastName), lastName);
            }
            else if (line.StartsWith("Deleted: ", StringComparison.Ordinal))
            {
                Record(context, "remove", line["Deleted: ".Length..], lastName);
                lastName = null;
            }
        }
    }
}
