using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Spec;

namespace Skiff.Tests.Unit.Lifecycle;

/// <summary>The bundle of a container that shares namespaces (--pid, --ipc, --uts, --network, --userns): which it creates, which it joins and where.</summary>
public sealed class BundleWriterNamespacesTests : IDisposable
{
    private static readonly string Web = new('a', 64);
    private static readonly string Db = new('b', 64);

    private readonly string _dir = Directory.CreateTempSubdirectory("skiff-bundle-ns-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ContainerConfig Config(char id) => new()
    {
        Id = new string(id, 64), Name = "c" + id, Created = DateTimeOffset.UnixEpoch, Image = "busybox", Runtime = "skiff", Cmd = ["true"],
    };

    private static int Pids(string id) => id == Web ? 4242 : id == Db ? 77 : 0;

    private static string Describe(List<NamespaceSpec> namespaces) => string.Join(' ', namespaces.Select(n => n.Path is null ? n.Type : $"{n.Type}={n.Path}"));

    [Fact]
    public void Default_creates_all_but_the_user_namespace()
    {
        Assert.Equal("pid ipc uts mount network", Describe(BundleWriter.Namespaces(Config('c'), Pids)));
    }

    [Fact]
    public void Host_modes_create_none()
    {
        ContainerConfig config = Config('c') with { PidMode = "host", IpcMode = "host", UtsMode = "host", NetworkMode = "host" };
        Assert.Equal("mount", Describe(BundleWriter.Namespaces(config, Pids)));
    }

    [Fact]
    public void Container_modes_join_the_running_process_namespaces()
    {
        ContainerConfig config = Config('c') with
        {
            PidMode = "container:" + Web, IpcMode = "container:" + Web, UtsMode = "container:" + Db, NetworkMode = "container:" + Db, UsernsMode = "container:" + Web,
            IdMappings = new Skiff.Core.IdMaps.IdMap([new(0, 1000, 1)], [new(0, 1000, 1)]),
        };
        Assert.Equal(
            "pid=/proc/4242/ns/pid ipc=/proc/4242/ns/ipc uts=/proc/77/ns/uts mount network=/proc/77/ns/net user=/proc/4242/ns/user",
            Describe(BundleWriter.Namespaces(config, Pids)));
        Assert.Equal([Web], ContainerDependencies.Of(Config('d') with { PidMode = "container:" + Web, IpcMode = "container:" + Web }));
        Assert.Equal([Web, Db], ContainerDependencies.Of(config));
        // The other container has no user namespace of its own (it is in the caller's): nothing to join.
        Assert.DoesNotContain("user", Describe(BundleWriter.Namespaces(config with { IdMappings = null }, Pids)));
    }

    [Fact]
    public void Paths_and_own_maps()
    {
        ContainerConfig config = Config('c') with
        {
            PidMode = "ns:/run/p", IpcMode = "private", UtsMode = "ns:/run/u", NetworkMode = "ns:/run/netns/n",
            IdMappings = new Skiff.Core.IdMaps.IdMap([new(0, 1000, 1)], [new(0, 1000, 1)]),
        };
        Assert.Equal("pid=/run/p ipc uts=/run/u mount network=/run/netns/n user", Describe(BundleWriter.Namespaces(config, Pids)));
        Assert.Equal("pid ipc uts mount network user=/run/userns", Describe(BundleWriter.Namespaces(Config('c') with { UsernsMode = "ns:/run/userns" }, Pids)));
    }

    [Fact]
    public void Shm_follows_the_ipc_mode()
    {
        Assert.Equal("tmpfs", BundleWriter.ShmMount(Skiff.Runtime.Namespaces.NamespaceMode.Parse(null, ipc: true), Pids)!.Type);
        Assert.Null(BundleWriter.ShmMount(Skiff.Runtime.Namespaces.NamespaceMode.Parse("none", ipc: true), Pids));
        Assert.Equal("/dev/shm", BundleWriter.ShmMount(Skiff.Runtime.Namespaces.NamespaceMode.Parse("host", ipc: true), Pids)!.Source);
        Assert.Equal("/proc/4242/root/dev/shm", BundleWriter.ShmMount(Skiff.Runtime.Namespaces.NamespaceMode.Parse("container:" + Web, ipc: true), Pids)!.Source);
    }

    [Fact]
    public void The_bundle_keeps_the_name_of_a_shared_uts_namespace_and_the_start_path_points_it_at_the_dependency()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        ContainerConfig config = Config('c') with { PidMode = "container:" + Web, IpcMode = "container:" + Web, UtsMode = "host", CgroupNamespace = true };
        store.Create(config);

        new BundleWriter(store).Write(config, rootless: false);
        RuntimeSpec written = Read(store, config);
        Assert.Null(written.Hostname);
        // The dependency is not stored, so not running: the paths come at start.
        Assert.Equal("pid ipc mount network cgroup", Describe(written.Linux!.Namespaces));
        Assert.Equal(Environment.MachineName + "\n", File.ReadAllText(Path.Combine(store.Directory(config.Id), "hostname")));

        new BundleWriter(store).WriteJoins(config, Pids);
        RuntimeSpec joined = Read(store, config);
        Assert.Equal("pid=/proc/4242/ns/pid ipc=/proc/4242/ns/ipc mount network cgroup", Describe(joined.Linux!.Namespaces));
        Assert.Equal("/proc/4242/root/dev/shm", joined.Mounts.Single(m => m.Destination == "/dev/shm").Source);
        Assert.Equal(written.Mounts.Count, joined.Mounts.Count);
        // The runtime's entry stage clones that mount (the kernel binds no mount of another namespace).
        Assert.Equal("/proc/4242/root/dev/shm", Skiff.Runtime.Namespaces.NamespacePlan.ForeignBindSource(joined));
        Assert.Null(Skiff.Runtime.Namespaces.NamespacePlan.ForeignBindSource(written));
    }

    [Fact]
    public void Ipc_none_has_no_dev_shm_and_rootless_ipc_host_binds_mqueue()
    {
        var store = new ContainerStore(Path.Combine(_dir, "root"), Path.Combine(_dir, "run"));
        ContainerConfig none = Config('n') with { IpcMode = "none" };
        store.Create(none);
        new BundleWriter(store).Write(none, rootless: false);
        Assert.DoesNotContain(Read(store, none).Mounts, m => m.Destination == "/dev/shm");

        ContainerConfig host = Config('h') with { IpcMode = "host" };
        store.Create(host);
        new BundleWriter(store).Write(host, rootless: true);
        RuntimeSpec spec = Read(store, host);
        Assert.Equal("bind /dev/shm", spec.Mounts.Where(m => m.Destination == "/dev/shm").Select(m => m.Type + " " + m.Source).Single());
        Assert.DoesNotContain(spec.Mounts, m => m.Destination == "/dev/mqueue" && m.Type == "mqueue");
        Assert.DoesNotContain(spec.Linux!.Namespaces, n => n.Type == "ipc");
    }

    private static RuntimeSpec Read(ContainerStore store, ContainerConfig config) =>
        SpecJsonReader.Read(File.ReadAllBytes(Path.Combine(store.BundleDirectory(config.Id), "config.json")))!;
}
