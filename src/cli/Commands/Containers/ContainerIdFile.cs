using Skiff.Core.Errors;

namespace Skiff.Cli.Commands.Containers;

/// <summary>The file of <c>--cidfile</c>: created exclusively before the container is, filled with its id after (no newline, as podman and docker write it).</summary>
public sealed class ContainerIdFile : IDisposable
{
    private readonly string path;
    private FileStream? stream;

    private ContainerIdFile(string path, FileStream stream)
    {
        this.path = path;
        this.stream = stream;
    }

    public static ContainerIdFile Claim(string path)
    {
        try
        {
            return new ContainerIdFile(path, new FileStream(path, FileMode.CreateNew, FileAccess.Write));
        }
        catch (IOException) when (File.Exists(path))
        {
            throw SkiffException.AlreadyExists(
                $"container id file exists. Ensure another container is not using it or delete {path}",
                "remove the file, or give --cidfile a path that does not exist yet");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw SkiffException.InvalidArgument($"opening container id file {path}: {IoErrorText.Describe("open", path, e)}", "give --cidfile a path in a writable directory");
        }
    }

    public void Write(string id)
    {
        if (stream is null)
        {
            return;
        }

        stream.Write(global::System.Text.Encoding.ASCII.GetBytes(id));
        stream.Dispose();
        stream = null;
    }

    public void Dispose()
    {
        if (stream is null)
        {
            return;
        }

        // The container was not created: the file claimed for it goes.
        stream.Dispose();
        stream = null;
        File.Delete(path);
    }
}
