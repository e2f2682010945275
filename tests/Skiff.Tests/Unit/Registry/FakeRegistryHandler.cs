using System.Net;

namespace Skiff.Tests.Unit.Registry;

/// <summary>
/// A strict fake registry: each request must match the next scripted step (method and path+query);
/// anything unexpected fails the test. Records what was sent, including Authorization headers.
/// </summary>
internal sealed class FakeRegistryHandler : HttpMessageHandler
{
    private readonly Queue<(HttpMethod Method, string PathAndQuery, Func<HttpRequestMessage, HttpResponseMessage> Respond)> script = new();

    public List<(HttpMethod Method, string Url, string? Authorization, string? Range)> Requests { get; } = [];

    public FakeRegistryHandler Expect(HttpMethod method, string pathAndQuery, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        script.Enqueue((method, pathAndQuery, respond));
        return this;
    }

    public FakeRegistryHandler Expect(HttpMethod method, string pathAndQuery, HttpStatusCode status) =>
        Expect(method, pathAndQuery, _ => new HttpResponseMessage(status));

    public bool Done => script.Count == 0;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add((request.Method, request.RequestUri!.ToString(), request.Headers.Authorization?.ToString(), request.Headers.Range?.ToString()));
        if (script.Count == 0)
        {
            throw new Xunit.Sdk.XunitException($"unexpected request {request.Method} {request.RequestUri}");
        }

        (HttpMethod method, string pathAndQuery, Func<HttpRequestMessage, HttpResponseMessage> respond) = script.Dequeue();
        string actual = request.RequestUri!.IsAbsoluteUri && pathAndQuery.StartsWith("http", StringComparison.Ordinal)
            ? request.RequestUri.ToString()
            : request.RequestUri.PathAndQuery;
        if (request.Method != method || actual != pathAndQuery)
        {
            throw new Xunit.Sdk.XunitException($"expected {method} {pathAndQuery}, got {request.Method} {actual}");
        }

        HttpResponseMessage response = respond(request);
        response.RequestMessage = request;
        return Task.FromResult(response);
    }
}

/// <summary>A body that yields some bytes and then fails like a dropped connection.</summary>
internal sealed class DroppingStream(byte[] data, int failAfter) : Stream
{
    private int position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (position >= failAfter)
        {
            throw new IOException("connection reset by peer");
        }

        int n = Math.Min(count, Math.Min(failAfter, data.Length) - position);
        Array.Copy(data, position, buffer, offset, n);
        position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
