namespace Skiff.Runtime.Namespaces;

/// <summary>The names /proc/PID/ns uses, and the OCI spec's names, for each namespace kind.</summary>
public static class NamespaceNames
{
    public static string ProcName(NamespaceKinds kind) => kind switch
    {
        NamespaceKinds.Mount => "mnt",
        NamespaceKinds.Cgroup => "cgroup",
        NamespaceKinds.Uts => "uts",
        NamespaceKinds.Ipc => "ipc",
        NamespaceKinds.User => "user",
        NamespaceKinds.Pid => "pid",
        NamespaceKinds.Network => "net",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static IEnumerable<NamespaceKinds> Each(NamespaceKinds kinds) =>
        Enum.GetValues<NamespaceKinds>().Where(k => k != NamespaceKinds.None && kinds.HasFlag(k));
}
