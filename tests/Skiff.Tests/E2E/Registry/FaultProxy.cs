using System.Net;
using System.Net.Sockets;

namespace Skiff.Tests.E2E.Registry;

/// <summary>
/// A tiny HTTP proxy on 127.0.0.1 in front of a real registry that lets a test break individual
/// answers: <see cref="Fault"/> sees each request first and may answer it itself (return true);
/// everything else is forwarded unchanged. Requests are recorded for assertions.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly HttpClient upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
    private readonly string upstreamBase;
    private readonly Task loop;
    private readonly CancellationTokenSource stop = new();

    private FaultProxy(string upstreamAddress, int port)
    {
        upstreamBase = $"http://{upstreamAddress}";
        Port = port;
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Return true when the fault answered the request itself.</summary>
    public Func<HttpListenerContext, Task<bool>>? Fault { get; set; }

    public List<string> Requests { get; } = [];

    /// <summary>Every request as seen: method, path, and the Range and Authorization headers (null when absent).</summary>
    public List<SeenRequest> Seen { get; } = [];

    public static FaultProxy Start(string upstreamAddress)
    {
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                return new FaultProxy(upstreamAddress, port);
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                // The port was taken between probe and bind; pick another.
            }
        }
    }

    /// <summary>Forwards one request to the registry and streams the answer back.</summary>
    public async Task ForwardAsync(HttpListenerContext context, Func<byte[], byte[]>? rewriteBody = null)
    {
        HttpListenerRequest request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.HttpMethod), upstreamBase + request.RawUrl);
        if (request.HasEntityBody)
        {
            using var body = new MemoryStream();
            await request.InputStream.CopyToAsync(body);
            message.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (string? name in request.Headers.AllKeys)
        {
            if (name is null || name is "Host" or "Connection" or "Content-Length" or "Transfer-Encoding")
            {
                continue;
            }

            string value = request.Headers[name]!;
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using HttpResponseMessage response = await upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        HttpListenerResponse answer = context.Response;
        answer.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is "Content-Length" or "Transfer-Encoding" or "Connection")
            {
                continue;
            }

            foreach (string value in header.Value)
            {
                string text = header.Key == "Location" ? value.Replace(upstreamBase, $"http://{Address}", StringComparison.Ordinal) : value;
                answer.AppendHeader(header.Key, text);
            }
        }

        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        if (rewriteBody is not null)
        {
            bytes = rewriteBody(bytes);
        }

        if (request.HttpMethod == "HEAD")
        {
            answer.ContentLength64 = response.Content.Headers.ContentLength ?? 0;
            answer.Close();
            return;
        }

        answer.ContentLength64 = bytes.Length;
        await answer.OutputStream.WriteAsync(bytes);
        answer.Close();
    }

    /// <summary>
    /// Forwards a GET but breaks the connection after <paramref name="keep"/> bytes of the body, having
    /// announced the full length: what a client sees when a link drops mid-download.
    /// </summary>
    public async Task ForwardTruncatedAsync(HttpListenerContext context, int keep)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, upstreamBase + context.Request.RawUrl);
        using HttpResponseMessage response = await upstream.SendAsync(message);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        HttpListenerResponse answer = context.Response;
        answer.StatusCode = (int)response.StatusCode;
        answer.ContentType = response.Content.Headers.ContentType?.ToString();
        answer.ContentLength64 = bytes.Length;
        await answer.OutputStream.WriteAsync(bytes.AsMemory(0, Math.Min(keep, bytes.Length)));
        await answer.OutputStream.FlushAsync();
        answer.Abort();
    }

    /// <summary>Answers with a body and content type.</summary>
    public static async Task RespondAsync(HttpListenerContext context, int status, byte[] body, string? contentType = null)
    {
        context.Response.StatusCode = status;
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        context.Response.ContentLength64 = body.Length;
        await context.Response.OutputStream.WriteAsync(body);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        // Close alone (it stops too): .NET's managed HttpListener unbinds the port on Stop, and a Close after
        // that binds it again for a moment to remove the prefixes, failing with "Address already in use" when
        // another test took the port meanwhile (seen in CI).
        listener.Close();
        try
        {
            await loop;
        }
        catch (Exception)
        {
            // The listener throws once stopped.
        }

        upstream.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested || !listener.IsListening)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                lock (Requests)
                {
                    Requests.Add($"{context.Request.HttpMethod} {context.Request.RawUrl}");
                    Seen.Add(new SeenRequest(context.Request.HttpMethod, context.Request.RawUrl ?? string.Empty, context.Request.Headers["Range"], context.Request.Headers["Authorization"]));
                }

                try
                {
                    if (Fault is null || !await Fault(context))
                    {
                        await ForwardAsync(context);
                    }
                }
                catch (Exception)
                {
                    try
                    {
                        context.Response.Abort();
                    }
                    catch (Exception)
                    {
                        // Already gone.
                    }
                }
            });
        }
    }
}
