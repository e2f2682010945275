using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>Which runtime command line runs a container: the program recorded at create time, with its state under the runroot.</summary>
public static class OciRuntimes
{
    public static OciRuntimeCli For(string program, ContainerStore store, string id) =>
        new(program, [], store.RuntimeRoot, Path.Combine(store.RunDirectory(id), "runtime.log"));

    /// <summary>The runtime used when the user names none: runc (crun 1.8 refuses this machine's hybrid cgroups) until skiff's own lands.</summary>
    public static string DefaultProgram(Func<string, bool> exists)
    {
        foreach (string candidate in new[] { "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/bin/crun" })
        {
            if (exists(candidate))
            {
                return candidate;
            }
        }

        return "runc";
    }
}
