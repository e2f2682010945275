using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Mounts;

namespace Skiff.Rootless.Network;

/// <summary>
/// A container's network namespace bound to a file under the run root (as podman and ip-netns do). Helpers
/// join it by path: pasta then needs no access to the container's /proc entry (which it cannot open once it
/// has dropped its capabilities) and quits by itself when the file goes away.
/// </summary>
public static class NetworkNamespaceFile
{
    public static string PathFor(ContainerStore store, string id) => Path.Combine(store.RunDirectory(id), "netns");

    public static string Bind(ContainerStore store, string id, int pid)
    {
        string path = PathFor(store, id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Remove(path);
        File.WriteAllBytes(path, []);
        new LinuxMountSyscalls().Mount($"/proc/{pid}/ns/net", path, null, MountFlags.Bind, null);
        return path;
    }

    /// <summary>
    /// A new network namespace bound at the container's file before its process exists, so the helper can
    /// set it up while the process is still being made; the runtime then joins it instead of creating one.
    /// </summary>
    public static string Create(ContainerStore store, string id)
    {
        string path = PathFor(store, id);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Remove(path);
        File.WriteAllBytes(path, []);
        try
        {
            Skiff.Runtime.Namespaces.ThreadNetworkNamespace.CreateBound(path);
        }
        catch
        {
            Remove(path);
            throw;
        }

        return path;
    }

    /// <summary>Unmounts and deletes the file; a file that is not there is fine.</summary>
    public static void Remove(string path)
    {
        RootfsMounter.TryUnmount(path);
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
