using Skiff.Cli.Commands.Containers;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Cli;

/// <summary>--volumes-from's merge: the container's own mounts win by destination, then the first container named.</summary>
public sealed class VolumesFromTests
{
    [Fact]
    public void Own_mounts_and_the_first_source_win_by_destination()
    {
        ContainerMount own = new("bind", "/host/a", "/data/", null, []);
        ContainerMount sharedData = new("volume", "/v/x", "/data", "x", []) { FromContainer = "c1" };
        ContainerMount sharedLogs = new("volume", "/v/y", "/logs", "y", []) { FromContainer = "c1" };
        ContainerMount laterLogs = new("bind", "/host/l", "//logs", null, ["ro"]) { FromContainer = "c2" };

        IReadOnlyList<ContainerMount> merged = VolumesFrom.Merge([own], [sharedData, sharedLogs, laterLogs]);

        Assert.Equal([own, sharedLogs], merged);
    }
}
