using Skiff.Core.Errors;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// podman's <c>--group-add keep-groups</c>: the container process keeps the supplementary groups of the
/// user who runs skiff (rootless, the groups that give access to files and devices of the host), instead
/// of the groups the runtime sets. The bundle carries crun's <c>run.oci.keep_original_groups=1</c>
/// annotation; the built-in runtime then skips setgroups, as crun does. runc has no such switch.
/// </summary>
public static class KeepGroups
{
    public const string Flag = "keep-groups";

    public const string Annotation = "run.oci.keep_original_groups";

    public static bool Requested(IReadOnlyList<string> groupAdd) => groupAdd.Contains(Flag);

    public static bool Requested(IReadOnlyDictionary<string, string>? annotations) =>
        annotations is not null && annotations.TryGetValue(Annotation, out string? value) && value == "1";

    /// <summary>Refuses what podman refuses (keep-groups with other groups) and a runtime that would drop the groups anyway.</summary>
    /// <param name="runtimeProgram">The runtime recorded for the container (the built-in one's name or a program path).</param>
    public static void Validate(IReadOnlyList<string> groupAdd, string runtimeProgram, string builtInRuntime)
    {
        if (!Requested(groupAdd))
        {
            return;
        }

        if (groupAdd.Count > 1)
        {
            throw SkiffException.InvalidArgument("the '--group-add keep-groups' option is not allowed with any other --group-add options", "give either keep-groups or the groups to add");
        }

        if (runtimeProgram != builtInRuntime && Path.GetFileName(runtimeProgram) != "crun")
        {
            throw SkiffException.InvalidArgument(
                $"--group-add keep-groups needs an OCI runtime that keeps the original groups ({Path.GetFileName(runtimeProgram)} does not)",
                "use the default runtime or --runtime crun");
        }
    }
}
