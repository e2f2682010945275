namespace Skiff.Core.Files;

/// <summary>Removal of a directory tree where a failure must not stop the caller.</summary>
public static class DirectoryTree
{
    /// <summary>
    /// Deletes <paramref name="path"/> with everything under it, if it exists. A tree that cannot be removed now (a
    /// mount still in use, another remover racing, no permission) stays for the next removal or sweep to retry.
    /// </summary>
    public static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
