using System.Runtime.InteropServices;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;

namespace Skiff.Images.Registry;

/// <summary>Picks the image for one platform from an index, with the OCI spec's default variants (arm64 is v8, arm is v7).</summary>
public static class PlatformSelector
{
    public static Platform Host()
    {
        (string arch, string? variant) = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => ("amd64", (string?)null),
            Architecture.Arm64 => ("arm64", "v8"),
            Architecture.Arm => ("arm", "v7"),
            Architecture.X86 => ("386", null),
            Architecture.S390x => ("s390x", null),
            Architecture.Ppc64le => ("ppc64le", null),
            Architecture.RiscV64 => ("riscv64", null),
            Architecture.LoongArch64 => ("loong64", null),
            Architecture other => (other.ToString().ToLowerInvariant(), null),
        };
        return new Platform { Os = "linux", Architecture = arch, Variant = variant };
    }

    public static Platform Normalize(Platform platform)
    {
        string arch = platform.Architecture switch
        {
            "x86_64" or "x86-64" => "amd64",
            "aarch64" => "arm64",
            "i386" => "386",
            _ => platform.Architecture,
        };
        string? variant = platform.Variant;
        if (arch == "arm64" && variant is null or "8")
        {
            variant = "v8";
        }
        else if (arch == "arm" && variant is null)
        {
            variant = "v7";
        }
        else if (arch == "arm" && variant is "5" or "6" or "7")
        {
            variant = "v" + variant;
        }

        return platform with { Architecture = arch, Variant = variant };
    }

    public static Descriptor Select(ImageIndex index, Platform wanted, string source)
    {
        Platform target = Normalize(wanted);
        Descriptor? match = index.Manifests.FirstOrDefault(d =>
            d.Platform is Platform p && MediaTypes.IsImageManifest(d.MediaType) && Matches(Normalize(p), target));
        if (match is not null)
        {
            return match;
        }

        string available = string.Join(", ", index.Manifests.Where(d => d.Platform is not null && d.Platform.Os != "unknown").Select(d => d.Platform!.ToString()).Distinct());
        throw SkiffException.NotFound(
            $"{source}: no image found in manifest list for architecture {target.Architecture}{(target.Variant is null ? string.Empty : ", variant " + target.Variant)}, OS {target.Os}",
            available.Length > 0 ? $"the image exists for: {available}; choose one with --platform" : "the image has no platform-specific manifests");
    }

    private static bool Matches(Platform candidate, Platform target) =>
        candidate.Os == target.Os && candidate.Architecture == target.Architecture && (target.Variant is null || candidate.Variant == target.Variant);
}
