using Skiff.Core.Errors;
using Skiff.Images.References;

namespace Skiff.Cli.Commands.Registry;

/// <summary>The registry argument of login/logout: a host[:port][/path], with docker's URL forms accepted.</summary>
public static class RegistryName
{
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ImageReference.DockerHub;
        }

        string key = Skiff.Images.Registry.Auth.AuthFile.NormalizeKey(text.Trim());
        if (key.Length == 0 || key.Contains("//", StringComparison.Ordinal) || key.Contains(' ', StringComparison.Ordinal) || key.Contains('@', StringComparison.Ordinal))
        {
            throw SkiffException.InvalidArgument($"invalid registry \"{text}\"", "give a registry host such as docker.io or localhost:5000");
        }

        return key;
    }
}
