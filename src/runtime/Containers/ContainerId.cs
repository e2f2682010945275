using System.Text.RegularExpressions;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Containers;

/// <summary>Container ids name directories in the state root, so they are restricted like runc's.</summary>
public static partial class ContainerId
{
    public static void Validate(string id)
    {
        if (id.Length > 1024 || !Pattern().IsMatch(id))
        {
            throw SkiffException.InvalidArgument($"invalid container id `{id}`", "ids use letters, digits, `_`, `.` and `-`, starting with a letter or digit");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.+-]*$")]
    private static partial Regex Pattern();
}
