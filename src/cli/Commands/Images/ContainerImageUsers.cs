using Skiff.Images.Local;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Images;

/// <summary>The containers of the container store that were created from an image (so rmi and prune leave that image alone).</summary>
public sealed class ContainerImageUsers(ContainerStore containers) : IImageUsers
{
    public IReadOnlyList<string> ContainersUsing(string imageId)
    {
        var users = new List<string>();
        foreach (string id in containers.ListIds())
        {
            try
            {
                ContainerConfig config = containers.ReadConfig(id);
                if (config.ImageId is { } used && (used == imageId || "sha256:" + used == imageId))
                {
                    users.Add(config.Name);
                }
            }
            catch (Exception e) when (e is IOException or Skiff.Core.Errors.SkiffException or global::System.Text.Json.JsonException)
            {
                // A container being removed right now: it no longer holds the image.
            }
        }

        return users;
    }
}
