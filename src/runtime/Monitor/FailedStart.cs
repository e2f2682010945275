using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>A start the monitor could not complete, recorded in the container's state with docker's exit code for it.</summary>
internal static class FailedStart
{
    public static void Record(ContainerStore store, string id, SkiffException error)
    {
        try
        {
            int code = error.Kind switch
            {
                ErrorKind.CommandNotFound => 127,
                ErrorKind.CannotExecute => 126,
                _ => 125,
            };
            // The starting CLI holds the container lock and removes an --rm container itself.
            ContainerState state = store.ReadState(id);
            store.WriteState(id, state with { Status = ContainerStatus.Created, ExitCode = code, Error = error.Message, MonitorPid = 0, MonitorStartTime = 0 });
        }
        catch (Exception e) when (e is SkiffException or IOException)
        {
        }
    }
}
