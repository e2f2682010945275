using System.Text;
using Skiff.Core.Digests;
using Skiff.Core.Errors;
using Skiff.Images.Content;

namespace Skiff.Tests.Unit.Images;

public sealed class ContentStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("skiff-content-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Ingest_verifies_digest_and_publishes_only_good_content()
    {
        var store = new ContentStore(root);
        byte[] data = Encoding.ASCII.GetBytes("hello layer");
        Digest digest = Digest.Sha256Of(data);

        await Assert.ThrowsAsync<SkiffException>(() => store.IngestAsync(new MemoryStream(Encoding.ASCII.GetBytes("hello LAYER")), digest, data.Length));
        Assert.False(store.Contains(digest));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "ingest"), "*.partial"));

        await store.IngestAsync(new MemoryStream(data), digest, data.Length);
        Assert.True(store.Contains(digest));
        Assert.Equal(data, store.ReadAllBytes(digest));
    }

    [Fact]
    public void Refuses_more_bytes_than_declared()
    {
        var store = new ContentStore(root);
        byte[] data = Encoding.ASCII.GetBytes("0123456789");
        using BlobIngest ingest = store.BeginIngest(Digest.Sha256Of(data), 5);
        Assert.Throws<SkiffException>(() => ingest.Append(data));
    }

    [Fact]
    public void Resumes_a_partial_ingest_after_the_writer_went_away()
    {
        var store = new ContentStore(root);
        byte[] data = Encoding.ASCII.GetBytes("0123456789abcdef");
        Digest digest = Digest.Sha256Of(data);
        using (BlobIngest first = store.BeginIngest(digest, data.Length))
        {
            first.Append(data.AsSpan(0, 7));
        }

        using BlobIngest second = store.BeginIngest(digest, data.Length);
        Assert.Equal(7, second.Offset);
        second.Append(data.AsSpan(7));
        second.Commit();
        Assert.Equal(data, store.ReadAllBytes(digest));
    }
}
