using Skiff.Core.Files;

namespace Skiff.Runtime.Namespaces;

/// <summary>Tells whether this process runs in a user namespace other than the initial one.</summary>
public static class UserNamespaceProbe
{
    /// <summary>
    /// The initial user namespace maps all 2^32-1 ids onto themselves ("0 0 4294967295"). Read by the container's
    /// init on every start, through <see cref="KernelFile"/> (File.ReadAllText's buffers were 3 of its page faults).
    /// </summary>
    public static bool InsideNonInitial()
    {
        try
        {
            string[] fields = KernelFile.ReadAllText("/proc/self/uid_map").Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
            return !(fields.Length == 3 && fields[0] == "0" && fields[1] == "0" && fields[2] == "4294967295");
        }
        catch (IOException)
        {
            return false;
        }
    }
}
