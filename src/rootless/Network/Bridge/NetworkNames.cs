using System.Text.RegularExpressions;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network.Bridge;

/// <summary>Network names as podman allows them; the names of the built-in modes cannot be taken.</summary>
public static partial class NetworkNames
{
    private static readonly string[] Reserved = ["none", "host", "pasta", "slirp4netns", "bridge", "private", "default"];

    public static bool IsBuiltIn(string name) => Reserved.Contains(name) || name.StartsWith("container:", StringComparison.Ordinal) || name.StartsWith("ns:", StringComparison.Ordinal);

    public static bool IsValid(string name) => Pattern().IsMatch(name);

    public static string Validate(string name)
    {
        if (!Pattern().IsMatch(name))
        {
            throw SkiffException.InvalidArgument($"network name {name} invalid: names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*: invalid argument");
        }

        if (IsBuiltIn(name))
        {
            throw SkiffException.InvalidArgument($"cannot create network with name \"{name}\" because it conflicts with a valid network mode");
        }

        return name;
    }

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")]
    private static partial Regex Pattern();
}
