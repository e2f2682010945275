using Skiff.Core.Errors;
using Skiff.Runtime.Secrets;

namespace Skiff.Tests.Unit.Secrets;

/// <summary>podman 4.3's secret names (checked against podman here) and its 25-hex-digit ids.</summary>
public class SecretNamesTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("9")]
    [InlineData("A1")]
    [InlineData("a.b-c_d")]
    [InlineData("db-password.v2")]
    public void Accepts_what_podman_accepts(string name)
    {
        Assert.True(SecretNames.IsValid(name));
        Assert.Equal(name, SecretNames.Validate(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad/name")]
    [InlineData("-x")]
    [InlineData(".x")]
    [InlineData("x-")]
    [InlineData("x.")]
    [InlineData("a b")]
    [InlineData("x=y")]
    [InlineData("x:y")]
    [InlineData("é")]
    public void Refuses_what_podman_refuses(string name)
    {
        Assert.False(SecretNames.IsValid(name));
        SkiffException e = Assert.Throws<SkiffException>(() => SecretNames.Validate(name));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.EndsWith($": {name}: invalid secret name", e.Message);
    }

    [Fact]
    public void Allows_64_characters_and_no_more()
    {
        Assert.True(SecretNames.IsValid(new string('a', 64)));
        Assert.False(SecretNames.IsValid(new string('a', 65)));
    }

    [Fact]
    public void Ids_are_25_lower_hex_digits_and_differ()
    {
        string first = SecretNames.NewId();
        Assert.Matches("^[0-9a-f]{25}$", first);
        Assert.NotEqual(first, SecretNames.NewId());
        Assert.True(SecretNames.IsIdPrefix(first));
        Assert.True(SecretNames.IsIdPrefix(first[..4]));
        Assert.False(SecretNames.IsIdPrefix(first + "0"));
        Assert.False(SecretNames.IsIdPrefix("xyz"));
    }
}
