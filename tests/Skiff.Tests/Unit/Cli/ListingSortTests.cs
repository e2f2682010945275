using Skiff.Cli.Commands.Containers;
using Skiff.Cli.Commands.Images;
using Skiff.Core.Errors;
using Skiff.Images.Store;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Cli;

/// <summary>ps --sort and images --sort: podman 4.3's keys and orders (compared by hand with podman here), and wait --condition.</summary>
public sealed class ListingSortTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 11, 0, 0, TimeSpan.Zero);

    private static (ContainerConfig, ContainerState) Row(string name, string id, int minutesAgo, string status, params string[] cmd) => (
        new ContainerConfig { Id = id + new string('0', 64 - id.Length), Name = name, Created = Now.AddMinutes(-minutesAgo), Image = "localhost/" + name + ":latest", Runtime = "runc", Cmd = cmd },
        new ContainerState { Status = status, StartedAt = status == ContainerStatus.Running ? Now.AddMinutes(-1) : null });

    private static readonly (ContainerConfig, ContainerState)[] Containers =
    [
        Row("a1", "8aad", 30, ContainerStatus.Running, "sleep", "100"),
        Row("a2", "8a61", 20, ContainerStatus.Exited, "sleep", "100"),
        Row("b0", "47f1", 1, ContainerStatus.Created, "true"),
    ];

    [Theory]
    [InlineData("created", "a1 a2 b0")]
    [InlineData("runningfor", "b0 a2 a1")]
    [InlineData("id", "b0 a2 a1")]
    [InlineData("names", "a1 a2 b0")]
    [InlineData("status", "b0 a2 a1")]
    [InlineData("command", "a2 a1 b0")]
    [InlineData("image", "a1 a2 b0")]
    [InlineData("size", "b0 a2 a1")]
    public void Ps_sorts_as_podman(string key, string expected)
    {
        // Given newest first (skiff's listing order), as the store hands them over.
        var rows = Containers.OrderByDescending(r => r.Item1.Created);
        string order = string.Join(' ', PsSort.Order(rows, PsSort.Check(key), Now, _ => null).Select(r => r.Config.Name));
        Assert.Equal(expected, order);
    }

    [Fact]
    public void Ps_refuses_an_unknown_key_with_podmans_words() =>
        Assert.Equal(
            "invalid argument \"bogus\" for \"--sort\" flag: \"bogus\" is not a valid value.  Choose from: \"command, created, id, image, names, runningfor, size, status\"",
            Assert.Throws<SkiffException>(() => PsSort.Check("bogus")).Message);

    private static readonly ImageRecord Busybox = new() { Id = "sha256:b35c", Names = ["localhost/pbb:latest", "localhost/zeta:1", "localhost/alpha:2"], Created = Now.AddHours(-21), Size = 2_140_000 };
    private static readonly ImageRecord Imported = new() { Id = "sha256:85ed", Names = ["localhost/mid:b"], Created = Now, Size = 11_300 };

    [Theory]
    [InlineData("created", "mid:b pbb:latest zeta:1 alpha:2")]
    [InlineData("id", "mid:b pbb:latest zeta:1 alpha:2")]
    [InlineData("repository", "alpha:2 mid:b pbb:latest zeta:1")]
    [InlineData("size", "mid:b pbb:latest zeta:1 alpha:2")]
    [InlineData("tag", "zeta:1 alpha:2 mid:b pbb:latest")]
    public void Images_sort_as_podman(string key, string expected)
    {
        (ImageRecord, string?)[] rows = [(Imported, "localhost/mid:b"), (Busybox, "localhost/pbb:latest"), (Busybox, "localhost/zeta:1"), (Busybox, "localhost/alpha:2")];
        string order = string.Join(' ', ImageSort.Order(rows, ImageSort.Check(key)).Select(r => r.Name!["localhost/".Length..]));
        Assert.Equal(expected, order);
    }

    [Fact]
    public void Images_refuse_an_unknown_key_with_podmans_words() =>
        Assert.Equal("\"bogus\" is not a valid field for sorting. Choose from: created, id, repository, size, tag", Assert.Throws<SkiffException>(() => ImageSort.Check("bogus")).Message);

    [Fact]
    public void Wait_prints_the_exit_code_for_an_end_and_minus_one_for_other_states()
    {
        var exited = new ContainerState { Status = ContainerStatus.Exited, ExitCode = 3 };
        var running = new ContainerState { Status = ContainerStatus.Running };
        Assert.Equal(3, WaitConditions.Parse([]).Met(exited, string.Empty));
        Assert.Null(WaitConditions.Parse([]).Met(running, string.Empty));
        Assert.True(WaitConditions.Parse([]).EndOfRunOnly);
        Assert.Equal(-1, WaitConditions.Parse(["running"]).Met(running, string.Empty));
        Assert.Equal(-1, WaitConditions.Parse(["paused,running"]).Met(running, string.Empty));
        Assert.Equal(3, WaitConditions.Parse(["running", "exited"]).Met(exited, string.Empty));
        Assert.Null(WaitConditions.Parse(["created"]).Met(exited, string.Empty));
        Assert.Equal(-1, WaitConditions.Parse(["configured"]).Met(new ContainerState { Status = ContainerStatus.Created }, string.Empty));
        Assert.Equal(-1, WaitConditions.Parse(["healthy"]).Met(running, "healthy"));
        Assert.Null(WaitConditions.Parse(["healthy"]).Met(running, "starting"));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("Running")]
    public void Wait_refuses_unknown_states(string state) =>
        Assert.Equal($"unknown container state: {state}: invalid argument", Assert.Throws<SkiffException>(() => WaitConditions.Parse([state])).Message);

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2000)]
    [InlineData("10", 10)]
    [InlineData("0", 1)]
    public void Wait_reads_intervals_as_podman(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), WaitConditions.ParseInterval(text));

    [Fact]
    public void Wait_refuses_a_bad_interval() =>
        Assert.Equal("time: invalid duration \"bogus\"", Assert.Throws<SkiffException>(() => WaitConditions.ParseInterval("bogus")).Message);
}
