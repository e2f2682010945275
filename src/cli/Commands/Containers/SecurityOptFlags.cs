using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;
using Skiff.Runtime.Seccomp;

namespace Skiff.Cli.Commands.Containers;

/// <summary>
/// Checks <c>--security-opt</c> values at create time and, as docker does, replaces
/// <c>seccomp=FILE</c> with the profile's JSON, so the container keeps working if the file changes.
/// </summary>
public static class SecurityOptFlags
{
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> values)
    {
        var resolved = new List<string>();
        foreach (string value in values)
        {
            SecurityOptions parsed = SecurityOptions.Parse([value]);
            if (parsed.Seccomp is { } seccomp && seccomp != SecurityOptions.Unconfined && !seccomp.TrimStart().StartsWith('{'))
            {
                string json;
                try
                {
                    json = File.ReadAllText(seccomp);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw SkiffException.NotFound($"opening seccomp profile {seccomp} failed: {IoErrorText.Reason(e) ?? e.Message}", "give the path of a JSON profile, or seccomp=unconfined");
                }

                SeccompProfileResolver.Parse(json, seccomp);
                resolved.Add("seccomp=" + json);
            }
            else
            {
                resolved.Add(value);
            }
        }

        return resolved;
    }
}
