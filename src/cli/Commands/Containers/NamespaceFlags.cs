using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Namespaces;

namespace Skiff.Cli.Commands.Containers;

/// <summary>run/create's --pid, --ipc and --uts (podman's values): the host's namespace, one of its own, another container's or a file's.</summary>
public sealed class NamespaceFlags
{
    public Option<string?> Pid { get; } = new("--pid") { Description = "PID namespace to use (host, private, container:NAME|ID, ns:PATH)" };

    public Option<string?> Ipc { get; } = new("--ipc") { Description = "IPC namespace to use (host, private, shareable, none, container:NAME|ID, ns:PATH)" };

    public Option<string?> Uts { get; } = new("--uts") { Description = "UTS namespace to use (host, private, container:NAME|ID, ns:PATH)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Pid);
        command.Options.Add(Ipc);
        command.Options.Add(Uts);
    }

    /// <summary>Whether any flag joins a namespace that is not the container's own.</summary>
    public bool JoinsAny(ParseResult parse) =>
        parse.GetValue(Pid) is { Length: > 0 } || parse.GetValue(Ipc) is { Length: > 0 } || parse.GetValue(Uts) is { Length: > 0 };

    /// <summary>
    /// The flags parsed and checked before an image is pulled or anything stored: containers named exist (their full
    /// ids are kept, as podman shows them), ns: paths exist, an ipc donor is shareable, and --hostname is not given
    /// with a shared uts namespace.
    /// </summary>
    public NamespaceModes Resolve(ParseResult parse, ContainerStore store, bool hostnameGiven)
    {
        NamespaceMode pid = Resolve(NamespaceMode.Parse(parse.GetValue(Pid)), "pid", "PID", store);
        NamespaceMode ipc = Resolve(NamespaceMode.Parse(parse.GetValue(Ipc), ipc: true), "ipc", "IPC", store);
        NamespaceMode uts = Resolve(NamespaceMode.Parse(parse.GetValue(Uts)), "uts", "UTS", store);
        if (ipc.Container is { } donor && NamespaceMode.Parse(store.ReadConfig(donor).IpcMode, ipc: true).Kind == NamespaceModeKind.Private)
        {
            // podman's refusal; its default (and skiff's) is shareable.
            throw SkiffException.InvalidArgument(
                $"joining IPC of container {donor} is not allowed: non-shareable IPC (hint: use IpcMode:shareable for the donor container)",
                "create the donor container with --ipc shareable (the default)");
        }

        if (!uts.Own && hostnameGiven)
        {
            throw SkiffException.InvalidArgument(
                "invalid config provided: cannot set hostname when running in the host UTS namespace: invalid configuration",
                uts.Kind == NamespaceModeKind.Host ? "drop --hostname, or --uts host" : "drop --hostname: the container has the name of the one whose UTS namespace it joins");
        }

        return new NamespaceModes(pid, ipc, uts);
    }

    /// <summary>Records the modes in the container's config; joining a container's uts namespace also takes its host name.</summary>
    public static ContainerConfig Apply(ContainerConfig config, NamespaceModes modes, ContainerStore store)
    {
        config = config with { PidMode = modes.Pid.ToString(), IpcMode = modes.Ipc.ToString(), UtsMode = modes.Uts.ToString() };
        if (modes.Uts.Container is { } named)
        {
            // The name it sees, in /etc/hostname and $HOSTNAME too, as podman.
            config = config with { Hostname = BundleWriter.HostnameOf(store.ReadConfig(named)) };
        }

        return config;
    }

    /// <summary>A container: value resolved to the container's full id; an ns: path checked to exist (podman's messages).</summary>
    public static NamespaceMode Resolve(NamespaceMode mode, string type, string title, ContainerStore store)
    {
        if (mode.Kind == NamespaceModeKind.Container)
        {
            string id = store.TryResolve(mode.Value!) ?? throw SkiffException.NotFound(
                $"looking up container to share {type} namespace with: no container with name or ID \"{mode.Value}\" found: no such container",
                "see 'skiff ps -a' for the containers there are");
            return mode with { Value = id };
        }

        if (mode.Kind == NamespaceModeKind.Path && !File.Exists(mode.Value!))
        {
            throw SkiffException.NotFound(
                $"cannot find specified {title} namespace path: stat {mode.Value}: no such file or directory",
                "give a namespace file such as /proc/PID/ns/" + (type == "net" ? "net" : type) + " or a bind-mounted one under /run/netns");
        }

        return mode;
    }
}
