using Skiff.Core.Errors;
using Skiff.Runtime.Spec;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's --personality: the OCI spec's execution domains. podman 4.3 passes any word to the runtime (runc 1.1
/// ignores the field); skiff takes the two the spec defines, so a typo is an error and not a silent no-op.
/// </summary>
public static class PersonalityFlag
{
    public static string Parse(string value) => value switch
    {
        PersonalitySpec.Linux or PersonalitySpec.Linux32 => value,
        _ => throw SkiffException.InvalidArgument($"invalid --personality \"{value}\"", "use LINUX or LINUX32"),
    };
}
