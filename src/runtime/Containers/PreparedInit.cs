using Skiff.Runtime.Namespaces;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Containers;

/// <summary>
/// A container init spawned before its container exists, by a monitor the CLI started ahead of the container
/// (`run`), into the namespaces the container will most likely ask for (<see cref="OciRuntime.Prepare"/>): the
/// init's process and .NET runtime start while the CLI still resolves the image and writes the bundle, instead of
/// after. It waits on its sync socket for its descriptors (<see cref="InitHandover"/>) and then its spec.
/// <see cref="OciRuntime.SpawnAsync"/> takes it when its namespaces are the ones the spec asks for and kills it
/// otherwise, so a wrong guess costs time, never a wrong namespace. Disposing it unused kills it.
/// </summary>
public sealed class PreparedInit(NamespacedProcess process, NamespaceRequest request) : IDisposable
{
    private NamespacedProcess? process = process;

    /// <summary>The namespaces it was spawned into.</summary>
    public NamespaceRequest Request { get; } = request;

    /// <summary>
    /// Whether it can be the init of a container that wants <paramref name="wanted"/>: the same namespaces created and
    /// the same ones joined (the namespace itself, whatever file names it), no user namespace (whose maps only the spec
    /// knows). A cgroup namespace is the exception: it is never prepared, and the init makes the one the spec asks for
    /// itself once it has the spec (<see cref="ContainerInit"/>).
    /// </summary>
    public bool Serves(NamespaceRequest wanted)
    {
        if (process is null
            || wanted.Unshare.HasFlag(NamespaceKinds.User)
            || wanted.Maps is not null
            || wanted.JoinPid is not null
            || wanted.Join != NamespaceKinds.None
            || wanted.KeepIds != Request.KeepIds
            || (wanted.Unshare & ~NamespaceKinds.Cgroup) != Request.Unshare
            || wanted.JoinPaths.Count != Request.JoinPaths.Count)
        {
            return false;
        }

        foreach ((NamespaceKinds kind, string path) in wanted.JoinPaths)
        {
            if (!Request.JoinPaths.TryGetValue(kind, out string? prepared) || !NamespaceIdentity.Same(path, prepared))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Hands the process over to the container being created; this object no longer owns it.</summary>
    internal NamespacedProcess Take()
    {
        NamespacedProcess taken = process ?? throw new InvalidOperationException("the prepared init was already taken");
        process = null;
        return taken;
    }

    /// <summary>Kills and reaps the init unless a container took it (the caller is a child subreaper, so it is its child).</summary>
    public void Dispose()
    {
        if (process is not { } unused)
        {
            return;
        }

        process = null;
        ChildProcesses.TrySignal(unused.Pid, 9);
        try
        {
            ChildProcesses.Wait(unused.Pid);
        }
        catch (Skiff.Core.Errors.SystemCallException)
        {
            // Not a child of ours (the caller is no subreaper): whoever inherited it reaps it.
        }

        unused.Dispose();
    }
}
