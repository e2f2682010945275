using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Rootless.IdMaps;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Rootless;

public class UserNamespacePlanTests
{
    // A rootless user 1001 with 65536 subordinate ids: skiff's namespace has ids 0..65536.
    private static readonly UserNamespaceContext Rootless = new(true, 1001, 1002) { UidCount = 65537, GidCount = 65537 };

    private static readonly UserNamespaceContext Root = new(false, 0, 0)
    {
        AutoUids = [new SubordinateRange(2147483647, 2147483648)],
        AutoGids = [new SubordinateRange(2147483647, 2147483648)],
    };

    [Theory]
    [InlineData(null, UserNamespaceKind.Default, "")]
    [InlineData("", UserNamespaceKind.Host, "host")]
    [InlineData("host", UserNamespaceKind.Host, "host")]
    [InlineData("nomap", UserNamespaceKind.NoMap, "nomap")]
    [InlineData("keep-id", UserNamespaceKind.KeepId, "keep-id")]
    [InlineData("keep-id:uid=1000,gid=1000", UserNamespaceKind.KeepId, "keep-id:uid=1000,gid=1000")]
    [InlineData("auto", UserNamespaceKind.Auto, "auto")]
    [InlineData("auto:size=1024", UserNamespaceKind.Auto, "auto:size=1024")]
    [InlineData("container:web", UserNamespaceKind.Container, "container:web")]
    [InlineData("ns:/proc/1/ns/user", UserNamespaceKind.Path, "ns:/proc/1/ns/user")]
    public void Parses_podman_modes(string? value, UserNamespaceKind kind, string shown)
    {
        UserNamespaceMode mode = UserNamespaceMode.Parse(value);
        Assert.Equal(kind, mode.Kind);
        Assert.Equal(shown, mode.ToString());
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("keep-id:uid=x")]
    [InlineData("keep-id:home=1")]
    [InlineData("auto:size=0")]
    [InlineData("nomap:x=1")]
    [InlineData("container:")]
    [InlineData("container")]
    [InlineData("ns:relative")]
    [InlineData("private")]
    public void Refuses_unknown_modes_and_options_with_a_hint(string value)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => UserNamespaceMode.Parse(value));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("--userns", e.Message);
        Assert.Contains("keep-id", e.Hint);
    }

    [Theory]
    [InlineData("0:100000:65536", 0u, 100000u, 65536u)]
    [InlineData("1000:0:1", 1000u, 0u, 1u)]
    public void Parses_id_maps(string value, uint container, uint host, uint size) =>
        Assert.Equal(new IdMapping(container, host, size), IdMappingParser.Parse("--uidmap", value));

    [Theory]
    [InlineData("0:100000")]
    [InlineData("0:100000:0")]
    [InlineData("a:1:2")]
    [InlineData("-1:1:2")]
    [InlineData("0:4294967295:2")]
    [InlineData("0:1:2:3")]
    public void Refuses_malformed_maps(string value)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => IdMappingParser.Parse("--uidmap", value));
        Assert.Contains("CONTAINER_ID:HOST_ID:SIZE", e.Hint);
    }

    [Fact]
    public void Refuses_overlapping_maps() =>
        Assert.Throws<SkiffException>(() => IdMappingParser.ParseAll("--gidmap", ["0:1000:10", "5:2000:10"]));

    [Fact]
    public void Keep_id_maps_the_user_to_its_own_id_and_the_rest_around_it_as_podman()
    {
        UserNamespacePlan plan = new ContainerIdMapPlanner(Rootless).Plan(UserNamespaceMode.Parse("keep-id"), [], []);
        Assert.Equal([new IdMapping(0, 1, 1001), new IdMapping(1001, 0, 1), new IdMapping(1002, 1002, 64535)], plan.Map!.Uids);
        Assert.Equal([new IdMapping(0, 1, 1002), new IdMapping(1002, 0, 1), new IdMapping(1003, 1003, 64534)], plan.Map.Gids);
        Assert.Equal(1001u, plan.DefaultUid);
        Assert.Equal(1002u, plan.DefaultGid);
    }

    [Fact]
    public void Keep_id_with_uid_and_gid_matches_podmans_example()
    {
        // podman run --userns=keep-id:uid=11 … cat /proc/self/uid_map: 0 1 11 / 11 0 1 / 12 12 65525
        UserNamespacePlan plan = new ContainerIdMapPlanner(Rootless).Plan(UserNamespaceMode.Parse("keep-id:uid=11,gid=1000"), [], []);
        Assert.Equal([new IdMapping(0, 1, 11), new IdMapping(11, 0, 1), new IdMapping(12, 12, 65525)], plan.Map!.Uids);
        Assert.Equal(0u, plan.Map.HostGid(1000));
        Assert.Equal((11u, 1000u), (plan.DefaultUid!.Value, plan.DefaultGid!.Value));
    }

    [Fact]
    public void Keep_id_above_the_subordinate_range_still_maps_the_user() =>
        Assert.Equal(
            [new IdMapping(0, 1, 10), new IdMapping(100000, 0, 1)],
            ContainerIdMapPlanner.KeepId(100000, 11));

    [Fact]
    public void Nomap_leaves_the_users_own_id_out()
    {
        UserNamespacePlan plan = new ContainerIdMapPlanner(Rootless).Plan(UserNamespaceMode.Parse("nomap"), [], []);
        Assert.Equal([new IdMapping(0, 1, 65536)], plan.Map!.Uids);
        Assert.Null(plan.DefaultUid);
    }

    [Fact]
    public void Host_and_default_get_no_map_of_their_own()
    {
        Assert.Null(new ContainerIdMapPlanner(Root).Plan(UserNamespaceMode.Parse("host"), [], []).Map);
        Assert.Null(new ContainerIdMapPlanner(Rootless).Plan(UserNamespaceMode.Default, [], []).Map);
    }

    [Fact]
    public void Uidmap_alone_is_used_for_gids_too()
    {
        UserNamespacePlan plan = new ContainerIdMapPlanner(Root).Plan(UserNamespaceMode.Default, [new IdMapping(0, 200000, 65536)], []);
        Assert.Equal("private", plan.Mode.ToString());
        Assert.Equal(plan.Map!.Uids, plan.Map.Gids);
    }

    [Fact]
    public void Rootless_uidmap_must_stay_inside_skiffs_namespace()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => new ContainerIdMapPlanner(Rootless).Plan(UserNamespaceMode.Default, [new IdMapping(0, 100000, 65536)], []));
        Assert.Contains("0 is your own id", e.Hint);
        Assert.NotNull(new ContainerIdMapPlanner(Rootless).Plan(UserNamespaceMode.Default, [new IdMapping(0, 1, 65536)], []).Map);
    }

    [Fact]
    public void Userns_and_uidmap_together_are_refused() =>
        Assert.Throws<SkiffException>(() => new ContainerIdMapPlanner(Rootless).Plan(UserNamespaceMode.Parse("keep-id"), [new IdMapping(0, 1, 10)], []));

    [Theory]
    [InlineData("keep-id")]
    [InlineData("nomap")]
    public void Keep_id_and_nomap_are_rootless_only_as_in_podman(string mode)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => new ContainerIdMapPlanner(Root).Plan(UserNamespaceMode.Parse(mode), [], []));
        Assert.Contains("only supported in rootless mode", e.Message);
        Assert.NotNull(e.Hint);
    }

    [Fact]
    public void Auto_takes_the_first_free_block_of_the_containers_range()
    {
        UserNamespaceContext used = Root with { UsedUids = [(2147483647, 65536)], UsedGids = [(2147483647, 65536)] };
        UserNamespacePlan plan = new ContainerIdMapPlanner(used).Plan(UserNamespaceMode.Parse("auto:size=1024"), [], []);
        Assert.Equal([new IdMapping(0, 2147483647 + 65536u, 1024)], plan.Map!.Uids);
        Assert.Equal([new IdMapping(0, 2147483647 + 65536u, 1024)], plan.Map.Gids);
    }

    [Fact]
    public void Auto_without_a_containers_range_names_the_file_to_fix()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => new ContainerIdMapPlanner(new UserNamespaceContext(false, 0, 0)).Plan(UserNamespaceMode.Parse("auto"), [], []));
        Assert.Equal(ErrorKind.PrerequisiteMissing, e.Kind);
        Assert.Contains("containers:", e.Hint);
    }

    [Fact]
    public void Rootless_auto_takes_blocks_of_the_subordinate_ids_in_skiffs_namespace_as_podman()
    {
        // podman here: 0 1 1024, then 0 1025 1024 while the first exists; keep-id's map takes every id.
        UserNamespaceContext pool = Rootless with { AutoUids = [new SubordinateRange(1, 65536)], AutoGids = [new SubordinateRange(1, 65536)] };
        Assert.Equal([new IdMapping(0, 1, 1024)], new ContainerIdMapPlanner(pool).Plan(UserNamespaceMode.Parse("auto"), [], []).Map!.Uids);
        UserNamespaceContext one = pool with { UsedUids = [(1, 1024)], UsedGids = [(1, 1024)] };
        IdMap second = new ContainerIdMapPlanner(one).Plan(UserNamespaceMode.Parse("auto"), [], []).Map!;
        Assert.Equal([new IdMapping(0, 1025, 1024)], second.Uids);
        Assert.Equal([new IdMapping(0, 1025, 1024)], second.Gids);
        Assert.Equal([new IdMapping(0, 1025, 5000)], new ContainerIdMapPlanner(one with { ImageIds = 5000 }).Plan(UserNamespaceMode.Parse("auto"), [], []).Map!.Uids);

        UserNamespaceContext keepId = pool with { UsedUids = [(1, 1001), (0, 1), (1002, 64535)], UsedGids = [(1, 1001), (0, 1), (1002, 64535)] };
        SkiffException full = Assert.Throws<SkiffException>(() => new ContainerIdMapPlanner(keepId).Plan(UserNamespaceMode.Parse("auto"), [], []));
        Assert.Equal(ErrorKind.Unavailable, full.Kind);
        Assert.Equal("could not find enough available IDs: no free block of 1024 ids is left in your 65536 subordinate ids (/etc/subuid)", full.Message);
        Assert.Contains("keep-id", full.Hint);
        Assert.Contains("no free block of 70000 ids", Assert.Throws<SkiffException>(() => new ContainerIdMapPlanner(pool).Plan(UserNamespaceMode.Parse("auto:size=70000"), [], [])).Message);
    }

    [Fact]
    public void Rootless_auto_without_subordinate_ids_says_who_can_add_them()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => new ContainerIdMapPlanner(new UserNamespaceContext(true, 1001, 1001)).Plan(UserNamespaceMode.Parse("auto"), [], []));
        Assert.Equal(ErrorKind.PrerequisiteMissing, e.Kind);
        Assert.Contains("/etc/subuid", e.Message);
        Assert.Contains("usermod", e.Hint);
    }

    [Theory]
    [InlineData(0u, 1024u)]
    [InlineData(1001u, 1024u)]
    [InlineData(1025u, 1025u)]
    [InlineData(65536u, 65536u)]
    public void Auto_size_is_podmans_minimum_or_what_the_image_needs(uint imageIds, uint size) =>
        Assert.Equal(size, ContainerIdMapPlanner.AutoSize(imageIds));

    [Fact]
    public void Auto_size_above_podmans_maximum_asks_for_an_explicit_size()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ContainerIdMapPlanner.AutoSize(65537));
        Assert.Contains("auto:size=N", e.Hint);
    }

    [Theory]
    [InlineData("root:x:0:0:root:/root:/bin/sh\n", 1u)]
    [InlineData("root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n", 1001u)]
    [InlineData("svc:x:10:5000::/:/bin/sh\n", 5001u)]
    [InlineData("broken\n:x:7:7\nbad:x:abc:def::/:\n", 0u)]
    [InlineData("", 0u)]
    public void Image_accounts_count_their_highest_id_without_nobody(string passwd, uint count) =>
        Assert.Equal(count, Skiff.Cli.Commands.Containers.ImageAccountIds.Count(passwd));

    [Fact]
    public void Allocator_fills_gaps_and_reports_a_full_pool()
    {
        SubordinateRange[] pool = [new(1000, 300)];
        Assert.Equal(1000u, AutoRangeAllocator.TryAllocate(pool, [], 100));
        Assert.Equal(1100u, AutoRangeAllocator.TryAllocate(pool, [(1000, 100), (1250, 50)], 100));
        Assert.Equal(1200u, AutoRangeAllocator.TryAllocate(pool, [(1000, 100), (1100, 100)], 50));
        Assert.Null(AutoRangeAllocator.TryAllocate(pool, [(1000, 100), (1150, 100)], 100));
        Assert.Null(AutoRangeAllocator.TryAllocate(pool, [], 301));
    }

    [Fact]
    public void Account_files_get_the_user_only_when_its_ids_are_missing()
    {
        var account = new ContainerAccount("alice", 1001, 1002, "/home/alice");
        (string passwd, string group) = AccountFiles.Add("root:x:0:0:root:/root:/bin/sh", null, account);
        Assert.Equal("root:x:0:0:root:/root:/bin/sh\nalice:*:1001:1002:alice:/home/alice:/bin/sh\n", passwd);
        Assert.Equal("alice:x:1002:alice\n", group);
        Assert.Equal("bob:x:1001:5::/:/bin/sh\n", AccountFiles.Add("bob:x:1001:5::/:/bin/sh\n", "g:x:1002:\n", account).Passwd);
    }
}
