using Skiff.Core.Errors;
using Skiff.Images.References;
using Skiff.Images.Store;

namespace Skiff.Images.Local;

/// <summary><c>skiff tag SOURCE TARGET</c>: adds a name to an image (moving it away from any image that had it). Short names get <c>localhost/</c>, as podman does.</summary>
public sealed class ImageTagger(LocalImages local)
{
    public ImageRecord Tag(string source, string target)
    {
        ImageReference reference = ImageReference.Parse(target);
        if (reference.Digest is not null)
        {
            throw SkiffException.InvalidArgument($"invalid tag \"{target}\": a tag cannot contain a digest", "tag with NAME[:TAG]");
        }

        string name = reference.LocalName;
        using (local.Images.Lock())
        {
            ImageRecord image = local.Resolve(source);
            if (image.Names.Contains(name))
            {
                return image;
            }

            ImageRecord tagged = image with { Names = [.. image.Names, name] };
            local.Images.Put(tagged);
            return tagged;
        }
    }
}
