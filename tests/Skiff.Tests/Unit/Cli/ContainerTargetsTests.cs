using Skiff.Cli.Commands.Containers;
using Skiff.Core.Errors;

namespace Skiff.Tests.Unit.Cli;

/// <summary>podman 4.3's checks of names, --all, --latest and --cidfile on stop/kill/rm/restart/pause/unpause (compared by hand with podman here).</summary>
public class ContainerTargetsTests
{
    [Theory]
    [InlineData(true, false, true, false, "--latest and containers cannot be used together")]
    [InlineData(false, true, true, false, "--all and --latest cannot be used together")]
    [InlineData(false, true, false, true, "--all, --latest, and --cidfile cannot be used together")]
    [InlineData(false, false, true, true, "--all, --latest, and --cidfile cannot be used together")]
    [InlineData(true, false, false, true, "no arguments are needed with --latest or --cidfile")]
    [InlineData(true, true, false, false, "no arguments are needed with --all")]
    [InlineData(false, false, false, false, "you must provide at least one name or id")]
    public void Refuses_podmans_conflicts_with_its_words(bool names, bool all, bool latest, bool cidFile, string message)
    {
        var e = Assert.Throws<SkiffException>(() => ContainerTargets.Check(names, all, latest, cidFile));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(true, false, false, false)]
    [InlineData(false, true, false, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, false, false, true)]
    public void Takes_each_way_alone(bool names, bool all, bool latest, bool cidFile) =>
        ContainerTargets.Check(names, all, latest, cidFile);

    [Theory]
    [InlineData("status=running", "status", "running")]
    [InlineData("name=a=b", "name", "a=b")]
    [InlineData("label=app", "label", "app")]
    public void Parses_ps_filters(string filter, string key, string value) =>
        Assert.Equal(new KeyValuePair<string, string>(key, value), ContainerFilter.Parse(filter));

    [Theory]
    [InlineData("name", "invalid filter \"name\"")]
    [InlineData("bogus=1", "invalid filter \"bogus\"")]
    [InlineData("status=bogus", "unknown container state: bogus")]
    [InlineData("exited=x", "exited code out of range \"x\"")]
    [InlineData("health=meh", "invalid health filter \"meh\"")]
    public void Refuses_bad_filters(string filter, string message) =>
        Assert.Equal(message, Assert.Throws<SkiffException>(() => ContainerFilter.Parse(filter)).Message);
}
