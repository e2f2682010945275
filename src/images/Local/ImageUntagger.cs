using Skiff.Core.Errors;
using Skiff.Images.References;
using Skiff.Images.Store;

namespace Skiff.Images.Local;

/// <summary>
/// <c>skiff untag IMAGE [NAME...]</c>: takes names off an image and leaves the image itself, as podman does: the
/// names given (each must be one of the image's, or nothing changes), or every name when none is given.
/// Short names get <c>localhost/</c>, as <see cref="ImageTagger"/> gives them.
/// </summary>
public sealed class ImageUntagger(LocalImages local)
{
    /// <returns>The names removed, fully qualified.</returns>
    public IReadOnlyList<string> Untag(string image, IReadOnlyList<string> names)
    {
        using (local.Images.Lock())
        {
            ImageRecord record = local.Resolve(image);
            var removed = new List<string>();
            if (names.Count == 0)
            {
                removed.AddRange(record.Names);
            }

            foreach (string name in names)
            {
                ImageReference reference = ImageReference.Parse(name);
                string qualified = reference.Digest is null ? reference.LocalName : name;
                if (!record.Names.Contains(qualified))
                {
                    throw SkiffException.NotFound($"{qualified}: tag not known", "see the names of the local images with 'skiff images'");
                }

                removed.Add(qualified);
            }

            if (removed.Count > 0)
            {
                local.Images.Put(record with { Names = record.Names.Except(removed).ToList() });
            }

            return removed;
        }
    }
}
