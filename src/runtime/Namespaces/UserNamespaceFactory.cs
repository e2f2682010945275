using Microsoft.Win32.SafeHandles;
using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Process;

namespace Skiff.Runtime.Namespaces;

/// <summary>
/// Makes a user namespace with given maps and returns an fd of it, for idmapped mounts
/// (mount_setattr's userns_fd): a short-lived copy of skiff enters a new user namespace through the
/// native entry stage, the fd is opened while it waits for its maps, and the process is then killed.
/// The namespace lives on as long as the fd (or a mount idmapped with it) does.
/// </summary>
public sealed class UserNamespaceFactory(IIdMapWriter writer, string executable)
{
    public async Task<SafeFileHandle> CreateAsync(IdMap map, CancellationToken cancellationToken = default)
    {
        var capture = new CapturingWriter(writer);
        var launcher = new NamespaceLauncher(capture);
        using SafeFileHandle nullIn = Descriptors.OpenNull(write: false);
        using SafeFileHandle nullOut = Descriptors.OpenNull(write: true);
        var spawn = new SpawnRequest(executable, ["--version"], new Dictionary<string, string>())
        {
            Descriptors = [(nullIn, 0), (nullOut, 1), (nullOut, 2)],
        };

        // KeepIds: the process must not try to become uid 0, which a custom map may leave out.
        using (NamespacedProcess child = await launcher.StartAsync(spawn, new NamespaceRequest(NamespaceKinds.User, Maps: map) { KeepIds = true }, cancellationToken).ConfigureAwait(false))
        {
            ChildProcesses.TrySignal(child.Pid, 9);
            await ChildProcesses.WaitAsync(child.Pid).ConfigureAwait(false);
        }

        return capture.Namespace ?? throw SkiffException.Internal("the user namespace for the idmapped mount was not created");
    }

    private sealed class CapturingWriter(IIdMapWriter inner) : IIdMapWriter
    {
        public SafeFileHandle? Namespace { get; private set; }

        public async Task WriteAsync(int pid, IdMap map, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(pid, map, cancellationToken).ConfigureAwait(false);
            Namespace = Descriptors.Open($"/proc/{pid}/ns/user", 0);
        }
    }
}
