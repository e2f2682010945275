using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>Which runtime command line runs a container: the program recorded at create time, with its state under the runroot.</summary>
public static class OciRuntimes
{
    /// <summary>The name recorded for skiff's own runtime (<c>skiff oci …</c>, run from this same binary).</summary>
    public const string BuiltIn = "skiff";

    public static OciRuntimeCli For(string program, ContainerStore store, string id) => program == BuiltIn
        ? new(Environment.ProcessPath ?? "/proc/self/exe", ["oci"], store.RuntimeRoot, null)
        : new(program, [], store.RuntimeRoot, Path.Combine(store.RunDirectory(id), "runtime.log"));

    /// <summary>
    /// The runtime used when the user names none: runc, until skiff's built-in runtime (<c>--runtime skiff</c>)
    /// has exec; crun 1.8 refuses this machine's hybrid cgroups.
    /// </summary>
    public static string DefaultProgram()
    {
        foreach (string candidate in new[] { "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc", "/usr/bin/crun" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return BuiltIn;
    }
}
