using Skiff.Core.Errors;
using Skiff.Runtime.Lifecycle;

namespace Skiff.Tests.Unit.Lifecycle;

public sealed class ContainerNamesTests
{
    [Theory]
    [InlineData("a", "a")]
    [InlineData("web", "web")]
    [InlineData("/db-1.prod_x", "db-1.prod_x")]
    [InlineData("9", "9")]
    public void Accepts_podman_names_and_drops_a_leading_slash(string name, string stored) =>
        Assert.Equal(stored, ContainerNames.Validate(name));

    [Theory]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("-web")]
    [InlineData("_web")]
    [InlineData("we b")]
    [InlineData("we/b")]
    [InlineData("wéb")]
    public void Refuses_names_outside_the_pattern(string name)
    {
        SkiffException e = Assert.Throws<SkiffException>(() => ContainerNames.Validate(name));
        Assert.Contains("invalid container name", e.Message);
    }

    [Fact]
    public void Random_names_are_valid() => Assert.Matches("^[a-z]+_[a-z]+$", ContainerNames.Validate(ContainerNames.Random()));
}
