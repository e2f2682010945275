using Skiff.Core.IdMaps;
using Skiff.Rootless.Storage;

namespace Skiff.Tests.Unit.Rootless;

public sealed class UserNamespaceHolderRecordTests
{
    private static readonly IdMap Map = new([new IdMapping(0, 1001, 1), new IdMapping(1, 100000, 65536)], [new IdMapping(0, 1001, 1), new IdMapping(1, 100000, 65536)]);

    [Fact]
    public void Round_trips_and_starts_with_the_pid_as_podmans_pause_pid()
    {
        var record = new UserNamespaceHolderRecord(4242, 987654, "user:[4026532001]", "120:1700000000 120:1700000001", UserNamespaceHolderRecord.DescribeMaps(Map));
        string text = record.Format();
        Assert.StartsWith("4242\n", text, StringComparison.Ordinal);
        Assert.Equal(record, UserNamespaceHolderRecord.TryParse(text));
        Assert.Equal("uid 0 1001 1\nuid 1 100000 65536\ngid 0 1001 1\ngid 1 100000 65536\n", record.Maps);
    }

    [Fact]
    public void Other_maps_describe_differently()
    {
        IdMap other = Map with { Uids = [new IdMapping(0, 1001, 1), new IdMapping(1, 200000, 65536)] };
        Assert.NotEqual(UserNamespaceHolderRecord.DescribeMaps(Map), UserNamespaceHolderRecord.DescribeMaps(other));
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242\n")]
    [InlineData("4242\nstart 1\nuserns user:[1]\nuid 0 1001 1\n")]
    [InlineData("x\nstart 1\nuserns user:[1]\nsubids 1:1 1:1\n")]
    [InlineData("4242\nstart x\nuserns user:[1]\nsubids 1:1 1:1\n")]
    [InlineData("4242\nbegin 1\nuserns user:[1]\nsubids 1:1 1:1\n")]
    [InlineData("-1\nstart 1\nuserns user:[1]\nsubids 1:1 1:1\n")]
    public void Rejects_damaged_records(string text) => Assert.Null(UserNamespaceHolderRecord.TryParse(text));
}
