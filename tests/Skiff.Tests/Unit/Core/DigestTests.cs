using Skiff.Core.Digests;

namespace Skiff.Tests.Unit.Core;

public class DigestTests
{
    [Theory]
    [InlineData("sha256:../../x")]
    [InlineData("sha256:ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("sha256:")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Rejects_malformed_digests(string text) => Assert.False(Digest.TryParse(text, out _));

    [Fact]
    public void Computes_sha256_of_empty_input()
    {
        Digest digest = Digest.Sha256Of([]);
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", digest.Value);
        Assert.Equal("e3b0c44298fc", digest.Short);
        Assert.Equal(digest, Digest.Parse(digest.Value));
    }
}
