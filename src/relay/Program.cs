using Microsoft.Win32.SafeHandles;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Logs;
using Skiff.Runtime.Memory;
using Skiff.Runtime.Monitor;
using Skiff.Runtime.Process;

// skiff-relay: a container's monitor (`skiff __monitor`) replaces itself with this program once the
// container has run for a moment (execve keeps the pid, the children, the subreaper flag and the
// descriptors). It only relays: output to the log and attach clients, input to the container, and waits
// for the container to end. Then it execs skiff again (`__monitor-exit`) to record the exit and clean up,
// as conmon runs podman's exit command. Usage: see RelayHandover.
RelayHandover? handover = RelayHandover.Parse(args);
if (handover is null)
{
    Console.Error.WriteLine("skiff-relay: started by the container monitor only");
    return 125;
}

var clients = handover.Clients.Select(fd => Handle(fd)!).ToList();
var relay = new MonitorRelay(
    Handle(handover.Listener),
    Handle(handover.Stdout),
    Handle(handover.Stderr),
    Handle(handover.Terminal),
    Handle(handover.Stdin),
    new ContainerLogWriter(handover.LogDriver, handover.LogPath, TimeProvider.System, handover.LogRotation),
    clients)
{
    HealthChecks = handover.HealthChecks(Handle),
    Deadline = handover.Deadline,
};
// Idle memory is what matters here: give back what starting (and each busy spell of output) touched.
ChildExit exit = relay.Run(handover.Pid, Handle(handover.PidFd), TimeSpan.FromSeconds(5), () => IdleMemory.Trim(), afterEachBusySpell: true);
relay.CloseStreams();
foreach (SafeFileHandle client in relay.Clients)
{
    Descriptors.KeepAcrossExec(client);
}

List<string> arguments =
[
    MonitorEntry.ExitVerb, handover.Root, handover.RunRoot, handover.Id, exit.ShellCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    // A check still running stays this pid's child across the exec: skiff reaps it once the exit is recorded.
    .. relay.HealthChecks?.ChildPid is int check and > 0 ? [MonitorEntry.HealthCheckOption, check.ToString(System.Globalization.CultureInfo.InvariantCulture)] : (string[])[],
    .. relay.Clients.Select(client => ((int)client.DangerousGetHandle()).ToString(System.Globalization.CultureInfo.InvariantCulture)),
];
try
{
    ProcessImage.Replace(handover.Skiff, arguments, ProcessImage.CurrentEnvironment());
}
catch (Skiff.Core.Errors.SystemCallException e)
{
    Console.Error.WriteLine($"skiff-relay: cannot record the container's exit: {e.Message}");
}

return 1;

static SafeFileHandle? Handle(int fd) => fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
