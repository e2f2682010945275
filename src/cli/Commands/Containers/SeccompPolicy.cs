using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Seccomp;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// podman's --seccomp-policy: <c>default</c> (the default profile unless --security-opt seccomp= says otherwise) or
/// <c>image</c>: the profile is the image's <c>io.containers.seccomp.profile</c> label (a JSON profile), which then
/// replaces any --security-opt seccomp=, as in podman; an image without the label is refused.
/// </summary>
public static class SeccompPolicy
{
    public const string Default = "default";

    public const string Image = "image";

    public const string ImageLabel = "io.containers.seccomp.profile";

    public static string Validate(string? policy) => policy switch
    {
        null or "" => Default,
        Default or Image => policy,
        _ => throw SkiffException.InvalidArgument($"invalid seccomp policy \"{policy}\": valid policies are [\"default\" \"image\"]", "give --seccomp-policy default or image"),
    };

    /// <summary>The --security-opt values with the image's profile in place of any seccomp= under the image policy.</summary>
    public static IReadOnlyList<string> Apply(string policy, IReadOnlyList<string> securityOpt, IReadOnlyDictionary<string, string>? imageLabels)
    {
        if (policy != Image)
        {
            return securityOpt;
        }

        if (imageLabels?.GetValueOrDefault(ImageLabel) is not { Length: > 0 } profile)
        {
            throw SkiffException.InvalidArgument("no seccomp policy defined by image", $"use --seccomp-policy default, or an image with the label {ImageLabel}");
        }

        SeccompProfileResolver.Parse(profile, $"the image's {ImageLabel} label");
        return [.. securityOpt.Where(o => SecurityOptions.Parse([o]).Seccomp is null), "seccomp=" + profile];
    }
}
