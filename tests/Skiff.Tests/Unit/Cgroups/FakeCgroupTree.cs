namespace Skiff.Tests.Unit.Cgroups;

/// <summary>
/// A cgroup2 hierarchy in a temp directory: groups are directories holding the interface files the kernel
/// would create. The kernel propagates subtree_control into children's cgroup.controllers; the fake does
/// not, so tests create each group with the controllers it should see.
/// </summary>
internal sealed class FakeCgroupTree : IDisposable
{
    private static readonly string[] InterfaceFiles =
    [
        "cgroup.procs", "cgroup.subtree_control", "cgroup.freeze", "cgroup.kill", "memory.max", "memory.low", "memory.swap.max",
        "cpu.max", "cpu.weight", "cpuset.cpus", "pids.max", "io.weight", "io.max",
    ];

    public FakeCgroupTree(params string[] controllers)
    {
        Root = Directory.CreateTempSubdirectory("skiff-cgroup2-").FullName;
        AddGroup(string.Empty, controllers);
    }

    public string Root { get; }

    public string AddGroup(string relative, params string[] controllers)
    {
        string directory = Path.Combine(Root, relative);
        Directory.CreateDirectory(directory);
        foreach (string name in InterfaceFiles)
        {
            File.WriteAllText(Path.Combine(directory, name), string.Empty);
        }

        File.WriteAllText(Path.Combine(directory, "cgroup.controllers"), string.Join(' ', controllers) + "\n");
        File.WriteAllText(Path.Combine(directory, "memory.events"), "low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n");
        File.WriteAllText(Path.Combine(directory, "cgroup.events"), "populated 1\nfrozen 0\n");
        return directory;
    }

    public string Read(string relative, string file) => File.ReadAllText(Path.Combine(Root, relative, file));

    public void Write(string relative, string file, string text) => File.WriteAllText(Path.Combine(Root, relative, file), text);

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
