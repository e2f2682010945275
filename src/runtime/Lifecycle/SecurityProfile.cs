using Skiff.Core.Errors;
using Skiff.Runtime.Seccomp;
using Skiff.Runtime.Spec;

namespace Skiff.Runtime.Lifecycle;

/// <summary>
/// What a container may do, as the engine writes it into the spec: podman's default capabilities
/// (inheritable and ambient empty), docker's default seccomp profile, masked and read-only paths, and
/// what <c>--privileged</c>, <c>--cap-add/--cap-drop</c> and <c>--security-opt</c> change.
/// </summary>
public sealed record SecurityProfile
{
    public required IReadOnlyList<string> Bounding { get; init; }

    public required IReadOnlyList<string> Effective { get; init; }

    public required IReadOnlyList<string> Permitted { get; init; }

    public required IReadOnlyList<string> Inheritable { get; init; }

    public required IReadOnlyList<string> Ambient { get; init; }

    public bool NoNewPrivileges { get; init; }

    /// <summary>null when unconfined.</summary>
    public SeccompSpec? Seccomp { get; init; }

    public required IReadOnlyList<string> MaskedPaths { get; init; }

    public required IReadOnlyList<string> ReadonlyPaths { get; init; }

    public bool Privileged { get; init; }

    /// <param name="uid">The container process's uid: a non-root process gets only the added capabilities (as podman).</param>
    /// <param name="available">What "all capabilities" means (skiff's own bounding set); every known one when null.</param>
    public static SecurityProfile For(bool privileged, IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop, SecurityOptions options, uint uid, IReadOnlyList<string>? available = null)
    {
        (List<string> Bounding, IReadOnlyList<string> Added) sets = CapabilitySetsFor(privileged, capAdd, capDrop, uid, available);
        List<string> capabilities = sets.Bounding;
        IReadOnlyList<string> added = sets.Added;
        SeccompSpec? seccomp = privileged || options.Seccomp == SecurityOptions.Unconfined
            ? null
            : SeccompProfileResolver.Resolve(LoadProfile(options.Seccomp), capabilities);

        bool unmaskAll = options.Unmask.Contains("ALL");
        IEnumerable<string> masked = privileged || unmaskAll ? [] : SpecDefaults.MaskedPaths;
        IEnumerable<string> readOnly = privileged || unmaskAll ? [] : SpecDefaults.ReadonlyPaths;
        return new SecurityProfile
        {
            Bounding = capabilities,
            Effective = uid == 0 ? capabilities : added,
            Permitted = uid == 0 ? capabilities : added,
            Inheritable = added,
            Ambient = added,
            NoNewPrivileges = options.NoNewPrivileges,
            Seccomp = seccomp,
            MaskedPaths = [.. masked.Where(p => !options.Unmask.Contains(p)).Concat(options.Mask).Distinct()],
            ReadonlyPaths = [.. readOnly.Where(p => !options.Unmask.Contains(p))],
            Privileged = privileged,
        };
    }

    /// <summary>
    /// The capability sets alone, as <see cref="For"/> gives them, without resolving the seccomp profile (a JSON
    /// parse of docker's default profile): what the monitor needs when the container's user is known.
    /// </summary>
    public static SecurityProfile CapabilitiesFor(bool privileged, IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop, uint uid, IReadOnlyList<string>? available = null)
    {
        (List<string> Bounding, IReadOnlyList<string> Added) sets = CapabilitySetsFor(privileged, capAdd, capDrop, uid, available);
        return new SecurityProfile
        {
            Bounding = sets.Bounding,
            Effective = uid == 0 ? sets.Bounding : sets.Added,
            Permitted = uid == 0 ? sets.Bounding : sets.Added,
            Inheritable = sets.Added,
            Ambient = sets.Added,
            MaskedPaths = [],
            ReadonlyPaths = [],
            Privileged = privileged,
        };
    }

    private static (List<string> Bounding, IReadOnlyList<string> Added) CapabilitySetsFor(bool privileged, IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop, uint uid, IReadOnlyList<string>? available)
    {
        List<string> capabilities = Capabilities(privileged, capAdd, capDrop, available ?? Spec.Capabilities.All);
        IReadOnlyList<string> added = uid == 0 ? [] : [.. capabilities.Where(c => Normalize(capAdd).Contains(c))];
        return (capabilities, added);
    }

    /// <summary>The bounding set <see cref="For"/> gives, without compiling the rest of the profile (for inspect).</summary>
    public static IReadOnlyList<string> BoundingSet(bool privileged, IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop, IReadOnlyList<string>? available = null) =>
        Capabilities(privileged, capAdd, capDrop, available ?? Spec.Capabilities.All);

    /// <summary>Checks capability names as docker does (CAP_ prefix optional, any case, ALL).</summary>
    public static void Validate(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (!name.Equals("ALL", StringComparison.OrdinalIgnoreCase) && !Spec.Capabilities.TryParse(name, out _))
            {
                throw SkiffException.InvalidArgument($"unknown capability \"{name}\"", "see capabilities(7) for the names, e.g. NET_ADMIN or CAP_NET_ADMIN");
            }
        }
    }

    private static List<string> Capabilities(bool privileged, IReadOnlyList<string> capAdd, IReadOnlyList<string> capDrop, IReadOnlyList<string> available)
    {
        Validate(capAdd);
        Validate(capDrop);
        HashSet<string> add = Normalize(capAdd);
        HashSet<string> drop = Normalize(capDrop);
        IEnumerable<string> start = privileged || add.Contains("ALL") ? available : SpecDefaults.DefaultCapabilities;
        if (drop.Contains("ALL"))
        {
            start = [];
        }

        return [.. Spec.Capabilities.All.Where(c => (start.Contains(c) && !drop.Contains(c)) || add.Contains(c))];
    }

    private static HashSet<string> Normalize(IEnumerable<string> names) =>
        [.. names.Select(n => n.Equals("ALL", StringComparison.OrdinalIgnoreCase) ? "ALL" : Spec.Capabilities.All[Parse(n)])];

    private static int Parse(string name) => Spec.Capabilities.TryParse(name, out int number) ? number : throw SkiffException.InvalidArgument($"unknown capability \"{name}\"");

    private static SeccompProfile LoadProfile(string? seccomp)
    {
        if (seccomp is null)
        {
            return SeccompProfileResolver.LoadDefault();
        }

        if (seccomp.TrimStart().StartsWith('{'))
        {
            return SeccompProfileResolver.Parse(seccomp, "given with --security-opt");
        }

        try
        {
            return SeccompProfileResolver.Parse(File.ReadAllText(seccomp), seccomp);
        }
        catch (IOException e)
        {
            throw SkiffException.NotFound($"opening seccomp profile {seccomp}: {e.Message}");
        }
    }
}
