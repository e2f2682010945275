using System.CommandLine;
using Skiff.Core.IdMaps;
using Skiff.Rootless.IdMaps;
using Skiff.Runtime.Fds;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Cli.Commands.Containers;

/// <summary>run/create's user namespace flags (podman's names): --userns, --uidmap, --gidmap.</summary>
public sealed class UserNamespaceFlags
{
    public Option<string?> Userns { get; } = new("--userns") { Description = "User namespace to use (host, keep-id[:uid=N,gid=N], nomap, auto[:size=N], container:NAME|ID, ns:PATH)" };

    public Option<string[]> UidMap { get; } = new("--uidmap") { Description = "UID map for the user namespace (CONTAINER_ID:HOST_ID:SIZE)" };

    public Option<string[]> GidMap { get; } = new("--gidmap") { Description = "GID map for the user namespace (CONTAINER_ID:HOST_ID:SIZE)" };

    /// <summary>Whether any of these flags is given (the container then may get a user namespace of its own).</summary>
    public bool Given(ParseResult parse) =>
        parse.GetValue(Userns) is not null || (parse.GetValue(UidMap)?.Length ?? 0) > 0 || (parse.GetValue(GidMap)?.Length ?? 0) > 0;

    public void AddTo(Command command)
    {
        command.Options.Add(Userns);
        command.Options.Add(UidMap);
        command.Options.Add(GidMap);
    }

    /// <summary>
    /// The container's user namespace from the flags: its map (for --userns=auto a block no other
    /// container uses: the caller holds <see cref="AutoLock"/> until the container is stored).
    /// <paramref name="imageIds"/> is how many ids the image's accounts use, which sizes an auto block given no size.
    /// </summary>
    public UserNamespacePlan Plan(CliContext context, ContainerStore store, ParseResult parse, uint imageIds = 0)
    {
        UserNamespaceMode mode = Mode(parse);
        IReadOnlyList<IdMapping> uids = IdMappingParser.ParseAll("--uidmap", parse.GetValue(UidMap) ?? []);
        IReadOnlyList<IdMapping> gids = IdMappingParser.ParseAll("--gidmap", parse.GetValue(GidMap) ?? []);
        if (mode.Kind is UserNamespaceKind.Container or UserNamespaceKind.Path)
        {
            if (uids.Count > 0 || gids.Count > 0)
            {
                throw Core.Errors.SkiffException.InvalidArgument(
                    $"--userns={mode} cannot be combined with --uidmap or --gidmap",
                    "give either --userns or --uidmap/--gidmap");
            }

            var join = new Runtime.Namespaces.NamespaceMode(
                mode.Kind == UserNamespaceKind.Container ? Runtime.Namespaces.NamespaceModeKind.Container : Runtime.Namespaces.NamespaceModeKind.Path, mode.Target);
            join = NamespaceFlags.Resolve(join, "user", "user", store);
            // The other container's maps: its root filesystem's owners and the ids it sees are the same. One without a
            // user namespace of its own shares the caller's, so there is nothing to join (the bundle then joins none).
            // A file's namespace has maps skiff does not know: the root filesystem is used as it is.
            IdMap? map = join.Container is { } id ? store.ReadConfig(id).IdMappings : null;
            return new UserNamespacePlan(mode with { Target = join.Value }, map);
        }

        return new ContainerIdMapPlanner(Context(context, store, mode.Kind == UserNamespaceKind.Auto) with { ImageIds = imageIds }).Plan(mode, uids, gids);
    }

    /// <summary>--userns=auto without a size: the block's size depends on the image, so the map is planned again once the image is known.</summary>
    public bool SizedByImage(ParseResult parse) =>
        Mode(parse) is { Kind: UserNamespaceKind.Auto, Size: null } && (parse.GetValue(UidMap)?.Length ?? 0) == 0 && (parse.GetValue(GidMap)?.Length ?? 0) == 0;

    /// <summary>Records the plan in the container's config; for keep-id also the user the process runs as and the account added to its /etc/passwd.</summary>
    public static ContainerConfig Apply(CliContext context, ContainerConfig config, UserNamespacePlan plan, bool userGiven)
    {
        config = config with { UsernsMode = plan.Mode.ToString(), IdMappings = plan.Map };
        if (plan.DefaultUid is uint uid && plan.DefaultGid is uint gid)
        {
            string home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : "/";
            config = config with { AddAccount = new ContainerAccount(context.User.Name, uid, gid, home) };
            if (!userGiven)
            {
                config = config with { User = FormattableString.Invariant($"{uid}:{gid}") };
            }
        }

        return config;
    }

    /// <summary>Serializes --userns=auto allocations between concurrent creates.</summary>
    public static DescriptorLock AutoLock(ContainerStore store)
    {
        Directory.CreateDirectory(store.ContainersDirectory);
        return DescriptorLock.Acquire(Path.Combine(store.ContainersDirectory, ".userns-auto.lock"));
    }

    private UserNamespaceMode Mode(ParseResult parse) => UserNamespaceMode.Parse(parse.GetValue(Userns));

    private static UserNamespaceContext Context(CliContext context, ContainerStore store, bool auto)
    {
        var result = new UserNamespaceContext(context.User.Rootless, context.User.Uid, context.User.Gid);
        if (context.User.Rootless)
        {
            IReadOnlyList<SubordinateRange> uids = SubordinateIdFile.Read("/etc/subuid", context.User.Name, context.User.Uid);
            IReadOnlyList<SubordinateRange> gids = SubordinateIdFile.Read("/etc/subgid", context.User.Name, context.User.Uid);
            result = result with
            {
                UidCount = 1 + (uint)uids.Sum(r => r.Count),
                GidCount = 1 + (uint)gids.Sum(r => r.Count),
            };
            // As podman: the pool is what skiff's own namespace has besides the user, ids 1..N there.
            return auto ? WithUsedIds(result with { AutoUids = Pool(result.UidCount), AutoGids = Pool(result.GidCount) }, store) : result;
        }

        if (!auto)
        {
            return result;
        }

        return WithUsedIds(
            result with
            {
                AutoUids = SubordinateIdFile.Read("/etc/subuid", "containers", uint.MaxValue),
                AutoGids = SubordinateIdFile.Read("/etc/subgid", "containers", uint.MaxValue),
            },
            store);
    }

    private static IReadOnlyList<SubordinateRange> Pool(uint count) => count > 1 ? [new SubordinateRange(1, count - 1)] : [];

    /// <summary>The ids every stored container's map takes (auto, keep-id, nomap, --uidmap alike, as podman counts them).</summary>
    private static UserNamespaceContext WithUsedIds(UserNamespaceContext result, ContainerStore store)
    {
        var usedUids = new List<(uint, uint)>();
        var usedGids = new List<(uint, uint)>();
        foreach (string id in store.ListIds())
        {
            IdMap? map;
            try
            {
                map = store.ReadConfig(id).IdMappings;
            }
            catch (Exception e) when (e is IOException or Core.Errors.SkiffException or global::System.Text.Json.JsonException)
            {
                continue;
            }

            usedUids.AddRange(map?.Uids.Select(m => (m.HostId, m.Size)) ?? []);
            usedGids.AddRange(map?.Gids.Select(m => (m.HostId, m.Size)) ?? []);
        }

        return result with { UsedUids = usedUids, UsedGids = usedGids };
    }
}
