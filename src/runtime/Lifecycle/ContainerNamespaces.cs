namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// The namespaces a container of skiff's gets (the bundle's linux.namespaces, by OCI type name, each created
/// new): one list for the bundle and for the hint a run gives its prepared monitor before the container exists.
/// </summary>
public static class ContainerNamespaces
{
    /// <param name="hostNetwork">--network host: the host's network namespace.</param>
    /// <param name="userNamespace">A user namespace of the container's own (--userns, --uidmap, root's auto).</param>
    /// <param name="cgroupNamespace">--cgroupns=private (podman's default on cgroup v2).</param>
    public static IReadOnlyList<string> Types(bool hostNetwork, bool userNamespace, bool cgroupNamespace)
    {
        var types = new List<string> { "pid", "ipc", "uts", "mount" };
        if (!hostNetwork)
        {
            types.Add("network");
        }

        if (userNamespace)
        {
            types.Add("user");
        }

        if (cgroupNamespace)
        {
            types.Add("cgroup");
        }

        return types;
    }
}
