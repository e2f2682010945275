using Skiff.Core.Errors;
using Skiff.Core.IdMaps;
using Skiff.Rootless.IdMaps;

namespace Skiff.Tests.Unit.Rootless;

public class IdMapTests
{
    [Fact]
    public void Parses_subuid_lines_by_name_and_uid()
    {
        const string text = "# comment\nalice:100000:65536\nbob:165536:65536\n1001:300000:1000\nbroken line\n";
        Assert.Equal([new SubordinateRange(100000, 65536)], SubordinateIdFile.Parse(text, "alice", 1000));
        Assert.Equal([new SubordinateRange(300000, 1000)], SubordinateIdFile.Parse(text, "carol", 1001));
        Assert.Empty(SubordinateIdFile.Parse(text, "dave", 1002));
    }

    [Fact]
    public void Builds_podman_style_map_where_uid_1000_is_start_plus_999()
    {
        IdMap map = RootlessIdMapBuilder.Build(1001, 1001, [new(100000, 65536)], [new(100000, 65536)], "alice");
        Assert.Equal(1001u, map.HostUid(0));
        Assert.Equal(100999u, map.HostUid(1000));
        Assert.Null(map.HostUid(65537));
    }

    [Fact]
    public void Missing_range_is_a_prerequisite_error_with_a_hint()
    {
        SkiffException e = Assert.Throws<SkiffException>(() => RootlessIdMapBuilder.Build(1001, 1001, [], [new(1, 2)], "alice"));
        Assert.Equal(ErrorKind.PrerequisiteMissing, e.Kind);
        Assert.Contains("usermod", e.Hint);
    }

    [Fact]
    public void Newuidmap_argv_lists_pid_then_triples()
    {
        var command = NewIdMapCommand.For("/usr/bin/newuidmap", 42, [new(0, 1001, 1), new(1, 100000, 65536)]);
        Assert.Equal(["42", "0", "1001", "1", "1", "100000", "65536"], command.Arguments);
    }
}
