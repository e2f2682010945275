using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Runtime.Monitor;

/// <summary>Which runtime command line runs a container: the program recorded at create time, with its state under the runroot.</summary>
public static class OciRuntimes
{
    /// <summary>The name recorded for skiff's own runtime (<c>skiff oci …</c>, run from this same binary).</summary>
    public const string BuiltIn = "skiff";

    public static OciRuntimeCli For(string program, ContainerStore store, string id, bool systemdCgroup = false) => program == BuiltIn
        ? new(Environment.ProcessPath ?? "/proc/self/exe", ["oci"], store.RuntimeRoot, null) { SystemdCgroup = systemdCgroup }
        : new(program, [], store.RuntimeRoot, Path.Combine(store.RunDirectory(id), "runtime.log")) { SystemdCgroup = systemdCgroup };

    /// <summary>
    /// The runtime used when the user names none: skiff's built-in one. The monitor runs it in its own
    /// process, so a container costs no runtime process start for create, start and delete (runc's are
    /// about three Go program starts per container); crun 1.8 refuses this machine's hybrid cgroups.
    /// </summary>
    public static string DefaultProgram() => BuiltIn;

    /// <summary>
    /// The program for <c>--runtime NAME</c>: skiff's own, a path, or a name looked up in PATH (as podman
    /// does for runc and crun), recorded as a full path so the monitor needs no lookup.
    /// </summary>
    public static string Resolve(string name, string? path)
    {
        if (name == BuiltIn)
        {
            return BuiltIn;
        }

        if (name.Contains('/'))
        {
            return File.Exists(name)
                ? Path.GetFullPath(name)
                : throw SkiffException.NotFound($"OCI runtime {name} not found", "give the path of an OCI runtime such as runc or crun, or --runtime skiff");
        }

        foreach (string directory in (path ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw SkiffException.NotFound($"OCI runtime {name} not found in $PATH", $"install {name}, give its path, or use --runtime skiff");
    }
}
