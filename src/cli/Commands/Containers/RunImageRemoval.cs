using Skiff.Cli.Commands.Images;
using Skiff.Images.Local;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// run --rmi: once the container has ended and is gone, the image it ran is removed by the name it resolved to, as
/// <c>skiff rmi NAME</c> without --force would: another name of the image is only untagged, and an image another
/// container uses stays. Failures are warnings, as podman's: the command still exits with the container's code.
/// </summary>
public static class RunImageRemoval
{
    public static void Remove(CliContext context, string image)
    {
        LocalImages local = ImageServices.Local(context);
        IReadOnlyDictionary<string, string> idsByName = ImageEvents.IdsByName(local);
        RemovalReport report = new ImageRemover(local, ImageServices.Users(context)).Remove([image], force: false);
        ImageEvents.RecordRemoval(context, report.Lines, idsByName);
        if (report.DeletedIds.Count > 0)
        {
            ImageServices.SweepMappedCopies(context);
        }

        foreach ((string _, Exception error) in report.Errors)
        {
            context.Error.WriteLine($"Warning: failed removing image {image}: {error.Message}");
        }
    }
}
