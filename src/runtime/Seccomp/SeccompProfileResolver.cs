using System.Runtime.InteropServices;
using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Seccomp;

/// <summary>
/// Turns a profile into the OCI seccomp section for one container, as docker does when it writes the
/// spec: rules whose <c>includes</c> (all capabilities in the bounding set, the architecture, a minimum
/// kernel) hold and whose <c>excludes</c> do not; the host architecture and its compat ones from
/// <c>archMap</c>.
/// </summary>
public static class SeccompProfileResolver
{
    /// <summary>skiff's default profile (docker's default semantics), read without System.Text.Json's metadata.</summary>
    public static SeccompProfile LoadDefault() =>
        SeccompProfileJsonReader.Read(DefaultSeccompProfile.Json)
            ?? throw SkiffException.Internal("the default seccomp profile is empty");

    /// <summary>Parses a user's profile (<c>--security-opt seccomp=FILE</c>).</summary>
    public static SeccompProfile Parse(string json, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(json, SeccompJsonContext.Default.SeccompProfile)
                ?? throw SkiffException.InvalidArgument($"the seccomp profile {source} is empty");
        }
        catch (JsonException e)
        {
            throw SkiffException.InvalidArgument($"the seccomp profile {source} is not valid JSON: {e.Message}");
        }
    }

    public static SeccompSpec Resolve(SeccompProfile profile, IReadOnlyCollection<string> boundingCapabilities) =>
        Resolve(profile, boundingCapabilities, RuntimeInformation.OSArchitecture, Environment.OSVersion.Version);

    public static SeccompSpec Resolve(SeccompProfile profile, IReadOnlyCollection<string> boundingCapabilities, Architecture architecture, Version kernel)
    {
        var capabilities = new HashSet<string>(boundingCapabilities, StringComparer.OrdinalIgnoreCase);
        string goArch = GoArchitecture(architecture);
        var spec = new SeccompSpec
        {
            DefaultAction = profile.DefaultAction,
            DefaultErrnoRet = profile.DefaultErrnoRet,
            Architectures = Architectures(profile, architecture),
            Flags = profile.Flags is { Count: > 0 } flags ? [.. flags] : null,
            Syscalls = [],
        };

        foreach (SeccompProfileRule rule in profile.Syscalls ?? [])
        {
            if (!Applies(rule, capabilities, goArch, kernel))
            {
                continue;
            }

            List<string> names = rule.Names is { Count: > 0 } list ? [.. list] : rule.Name is { Length: > 0 } name ? [name] : [];
            if (names.Count == 0)
            {
                throw SkiffException.InvalidArgument("a seccomp rule names no system call");
            }

            spec.Syscalls.Add(new SeccompSyscall
            {
                Names = names,
                Action = rule.Action,
                ErrnoRet = rule.ErrnoRet,
                Args = rule.Args is { Count: > 0 } args ? [.. args] : null,
            });
        }

        return spec;
    }

    private static bool Applies(SeccompProfileRule rule, HashSet<string> capabilities, string goArch, Version kernel)
    {
        if (rule.Includes is { } includes)
        {
            if (includes.Caps is { Count: > 0 } caps && !caps.All(capabilities.Contains))
            {
                return false;
            }

            if (includes.Arches is { Count: > 0 } arches && !arches.Contains(goArch))
            {
                return false;
            }

            if (includes.MinKernel is { Length: > 0 } min && kernel < ParseKernel(min))
            {
                return false;
            }
        }

        if (rule.Excludes is { } excludes)
        {
            if (excludes.Caps is { Count: > 0 } caps && caps.Any(capabilities.Contains))
            {
                return false;
            }

            if (excludes.Arches is { Count: > 0 } arches && arches.Contains(goArch))
            {
                return false;
            }

            if (excludes.MinKernel is { Length: > 0 } min && kernel >= ParseKernel(min))
            {
                return false;
            }
        }

        return true;
    }

    private static List<string>? Architectures(SeccompProfile profile, Architecture architecture)
    {
        if (profile.Architectures is { Count: > 0 } listed)
        {
            return [.. listed];
        }

        string native = SeccompArchitectures.Native(architecture);
        SeccompArchMap? map = profile.ArchMap?.FirstOrDefault(m => m.Architecture == native);
        return map is null ? null : [map.Architecture, .. map.SubArchitectures ?? []];
    }

    private static Version ParseKernel(string text)
    {
        string[] parts = text.Split('.');
        int major = parts.Length > 0 && int.TryParse(parts[0], out int a) ? a : 0;
        int minor = parts.Length > 1 && int.TryParse(parts[1], out int b) ? b : 0;
        return new Version(major, minor);
    }

    private static string GoArchitecture(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "386",
        Architecture.Arm => "arm",
        Architecture.S390x => "s390x",
        Architecture.Ppc64le => "ppc64le",
        Architecture.RiscV64 => "riscv64",
        _ => architecture.ToString().ToLowerInvariant(),
    };
}
