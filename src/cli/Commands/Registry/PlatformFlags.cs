using System.CommandLine;
using Skiff.Core.Errors;
using Skiff.Images.Manifests;
using Skiff.Images.Registry;

namespace Skiff.Cli.Commands.Registry;

/// <summary>
/// The image's platform as podman 4.3 takes it: <c>--platform os/arch[/variant]</c>, or its parts <c>--os</c>,
/// <c>--arch</c> and <c>--variant</c> (the host's value for each part not given); --platform with --os or --arch is refused.
/// </summary>
public sealed class PlatformFlags(string platformDescription)
{
    public Option<string?> Platform { get; } = new("--platform") { Description = platformDescription };

    public Option<string?> Arch { get; } = new("--arch") { Description = "Use ARCH instead of the architecture of the machine for choosing images" };

    public Option<string?> Os { get; } = new("--os") { Description = "Use OS instead of the running OS for choosing images" };

    public Option<string?> Variant { get; } = new("--variant") { Description = "Use VARIANT instead of the running architecture variant for choosing images" };

    public void AddTo(Command command)
    {
        command.Options.Add(Platform);
        command.Options.Add(Arch);
        command.Options.Add(Os);
        command.Options.Add(Variant);
    }

    /// <summary>The platform asked for, or null when none of the flags was given (the host's then).</summary>
    public Platform? Resolve(ParseResult parse) =>
        Resolve(parse.GetValue(Platform), parse.GetValue(Os), parse.GetValue(Arch), parse.GetValue(Variant), PlatformSelector.Host());

    public static Platform? Resolve(string? platform, string? os, string? arch, string? variant, Platform host)
    {
        if (platform is not null)
        {
            if (os is not null || arch is not null)
            {
                throw SkiffException.InvalidArgument("--platform option can not be specified with --arch or --os", "give either --platform os/arch[/variant] or --os and --arch");
            }

            Platform parsed = Skiff.Images.Manifests.Platform.Parse(platform);
            return variant is null ? parsed : parsed with { Variant = NotBlank(variant, "--variant") };
        }

        if (os is null && arch is null && variant is null)
        {
            return null;
        }

        return new Platform
        {
            Os = os is null ? host.Os : NotBlank(os, "--os"),
            Architecture = arch is null ? host.Architecture : NotBlank(arch, "--arch"),
            // Another architecture does not keep the host's variant (arm64's v8 is no variant of amd64).
            Variant = variant is not null ? NotBlank(variant, "--variant") : arch is null || arch == host.Architecture ? host.Variant : null,
        };
    }

    private static string NotBlank(string value, string flag) =>
        string.IsNullOrWhiteSpace(value) || value.Contains('/')
            ? throw SkiffException.InvalidArgument($"invalid {flag} value \"{value}\"", $"give {flag} a single name, e.g. --arch arm64, --os linux, --variant v8")
            : value;
}
