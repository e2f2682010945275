namespace Skiff.Runtime.Namespaces;

/// <summary>Linux namespace types, valued as their CLONE_NEW* flags.</summary>
[Flags]
public enum NamespaceKinds
{
    None = 0,
    Mount = 0x00020000,
    Cgroup = 0x02000000,
    Uts = 0x04000000,
    Ipc = 0x08000000,
    User = 0x10000000,
    Pid = 0x20000000,
    Network = 0x40000000,
}
