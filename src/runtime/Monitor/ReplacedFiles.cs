namespace Skiff.Runtime.Monitor;

/// <summary>
/// The old versions of files replaced on the start path (the state, the bundle's config.json): their blocks are
/// freed (and discarded) once the start was reported, not on the start path.
/// </summary>
internal sealed class ReplacedFiles
{
    private readonly List<string> paths = [];

    public void Add(string path) => paths.Add(path);

    /// <summary>On a thread of its own: a container that exits at once is reported only once the relay runs.</summary>
    public void DeleteInBackground() => Threading.BackgroundThread.Start("free replaced", Delete);

    public void Delete()
    {
        foreach (string replaced in paths)
        {
            try
            {
                File.Delete(replaced);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A leftover old copy costs only space; on the background thread an exception would end the monitor.
            }
        }

        paths.Clear();
    }
}
