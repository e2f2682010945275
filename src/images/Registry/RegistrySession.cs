using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Skiff.Core.Errors;
using Skiff.Images.Registry.Auth;

namespace Skiff.Images.Registry;

/// <summary>
/// An authenticated conversation with one registry about one repository (OCI distribution spec).
/// <see cref="PingAsync"/> finds the scheme (https; http only for insecure registries) and the auth
/// challenge; <see cref="SendAsync"/> adds the token or basic credentials, answers a 401 once by
/// (re)authenticating, retries transient failures and follows redirects without credentials.
/// Tokens are requested anonymously unless credentials are known; they never go where
/// <see cref="RealmPolicy"/> forbids.
/// </summary>
public sealed class RegistrySession : IDisposable
{
    private const int MaxRedirects = 5;
    private readonly HttpClient client;
    private readonly RegistryEndpoint endpoint;
    private readonly Credentials? credentials;
    private readonly IReadOnlyList<string> scopes;
    private readonly RetryPolicy retry;
    private readonly RealmPolicy realmPolicy;
    private Uri? baseUri;
    private AuthenticationHeaderValue? authorization;

    /// <param name="scopes">Token scopes, e.g. <c>repository:library/alpine:pull</c>.</param>
    public RegistrySession(HttpMessageHandler handler, RegistryEndpoint endpoint, Credentials? credentials, IReadOnlyList<string> scopes, RetryPolicy retry, RealmPolicy realmPolicy, bool disposeHandler = true)
    {
        client = new HttpClient(handler, disposeHandler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("skiff", "0.1"));
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.scopes = scopes;
        this.retry = retry;
        this.realmPolicy = realmPolicy;
    }

    public RegistryEndpoint Endpoint => endpoint;

    public RetryPolicy Retry => retry;

    /// <summary>The scheme + host the registry answered on (after <see cref="PingAsync"/>).</summary>
    public Uri BaseUri => baseUri ?? throw new InvalidOperationException("ping the registry first");

    public static string PullScope(string repository) => $"repository:{repository}:pull";

    public static string PushScope(string repository) => $"repository:{repository}:pull,push";

    /// <summary>GET /v2/: picks https (or http for an insecure registry) and authenticates if the registry asks.</summary>
    public async Task PingAsync(CancellationToken cancellationToken)
    {
        string[] schemes = endpoint.Insecure ? ["https", "http"] : ["https"];
        Exception? failure = null;
        foreach (string scheme in schemes)
        {
            var candidate = new Uri($"{scheme}://{endpoint.Host}/");
            HttpResponseMessage response;
            try
            {
                bool fallbackLeft = scheme != schemes[^1];
                Func<HttpRequestMessage> build = () => new HttpRequestMessage(HttpMethod.Get, new Uri(candidate, "v2/"));
                // An https attempt that may fall back to http gets one try: a plain http server fails TLS every time.
                response = fallbackLeft
                    ? await client.SendAsync(build(), HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false)
                    : await retry.SendAsync(client, build, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                failure = e;
                continue;
            }

            using (response)
            {
                baseUri = candidate;
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    await AuthenticateAsync(response, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (response.IsSuccessStatusCode)
                {
                    return;
                }

                throw await RegistryErrors.FromResponseAsync(response, $"pinging container registry {endpoint.Registry}", cancellationToken).ConfigureAwait(false);
            }
        }

        string reason = failure is null ? "no answer" : Describe(failure);
        throw SkiffException.Unavailable(
            $"pinging container registry {endpoint.Registry}: {reason}",
            HintFor(failure, endpoint.Insecure),
            failure);
    }

    /// <summary>Checks that the session's credentials are accepted: ping, authenticate, then GET /v2/ must answer 200.</summary>
    public async Task VerifyLoginAsync(CancellationToken cancellationToken)
    {
        await PingAsync(cancellationToken).ConfigureAwait(false);
        using HttpResponseMessage response = await SendAsync(uri => new HttpRequestMessage(HttpMethod.Get, uri), "v2/", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"logging in to {endpoint.Registry}: invalid username or password", "check the user name and password");
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RegistryErrors.FromResponseAsync(response, $"logging in to {endpoint.Registry}", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a request to a path under <c>/v2/</c> (or an absolute URL the registry gave, e.g. an upload
    /// location). <paramref name="build"/> must create a fresh message each time (retries, re-auth).
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<Uri, HttpRequestMessage> build, string pathOrUrl, CancellationToken cancellationToken, bool followRedirects = true)
    {
        Uri target = Resolve(pathOrUrl);
        HttpResponseMessage response = await SendAuthorizedAsync(build, target, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            await AuthenticateAsync(response, cancellationToken).ConfigureAwait(false);
            response.Dispose();
            response = await SendAuthorizedAsync(build, target, cancellationToken).ConfigureAwait(false);
        }

        for (int redirects = 0; followRedirects && IsRedirect(response.StatusCode) && response.Headers.Location is Uri location; redirects++)
        {
            if (redirects >= MaxRedirects)
            {
                response.Dispose();
                throw SkiffException.Unavailable($"too many redirects from {endpoint.Registry}");
            }

            Uri next = location.IsAbsoluteUri ? location : new Uri(target, location);
            if (next.Scheme is not ("https" or "http") || (next.Scheme == "http" && target.Scheme == "https"))
            {
                response.Dispose();
                throw new SkiffException(ErrorKind.PermissionDenied, $"refusing redirect from {target.GetLeftPart(UriPartial.Authority)} to {next.GetLeftPart(UriPartial.Authority)}");
            }

            response.Dispose();
            target = next;
            // Blob storage behind a redirect gets no registry credentials: they are not its business.
            response = await retry.SendAsync(client, () => build(next), cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    public Uri Resolve(string pathOrUrl) =>
        Uri.TryCreate(pathOrUrl, UriKind.Absolute, out Uri? absolute) && absolute.Scheme is "http" or "https"
            ? absolute
            : new Uri(BaseUri, pathOrUrl.TrimStart('/'));

    private Task<HttpResponseMessage> SendAuthorizedAsync(Func<Uri, HttpRequestMessage> build, Uri target, CancellationToken cancellationToken) =>
        retry.SendAsync(client, () =>
        {
            HttpRequestMessage request = build(target);
            if (authorization is not null && SameAuthority(target, BaseUri))
            {
                request.Headers.Authorization = authorization;
            }

            return request;
        }, cancellationToken);

    private async Task AuthenticateAsync(HttpResponseMessage unauthorized, CancellationToken cancellationToken)
    {
        AuthChallenge? challenge = unauthorized.Headers.WwwAuthenticate
            .Select(h => AuthChallenge.Parse(h.Scheme, h.Parameter))
            .OrderBy(c => c.IsBearer ? 0 : c.IsBasic ? 1 : 2)
            .FirstOrDefault();
        if (challenge is null || !(challenge.IsBearer || challenge.IsBasic))
        {
            throw new SkiffException(ErrorKind.PermissionDenied, $"{endpoint.Registry} requires authentication of an unsupported kind", "skiff supports bearer tokens and basic authentication");
        }

        if (challenge.IsBasic)
        {
            if (credentials is null || credentials.Username.Length == 0)
            {
                throw new SkiffException(ErrorKind.PermissionDenied, $"{endpoint.Registry}: authentication required", "log in with 'skiff login " + endpoint.Registry + "' or pass --creds");
            }

            authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
            return;
        }

        string realm = challenge.Realm ?? throw new SkiffException(ErrorKind.PermissionDenied, $"{endpoint.Registry} sent a bearer challenge without a realm");
        await realmPolicy.CheckAsync(BaseUri, realm, cancellationToken).ConfigureAwait(false);
        authorization = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(challenge, realm, cancellationToken).ConfigureAwait(false));
    }

    private async Task<string> FetchTokenAsync(AuthChallenge challenge, string realm, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (challenge.Service is string service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        IEnumerable<string> wanted = challenge.Scope is string asked ? scopes.Append(asked).Distinct() : scopes;
        query.AddRange(wanted.Select(scope => "scope=" + Uri.EscapeDataString(scope)));
        var uri = new UriBuilder(realm);
        string existing = uri.Query.TrimStart('?');
        uri.Query = string.Join('&', new[] { existing }.Where(q => q.Length > 0).Concat(query));

        using HttpResponseMessage response = await retry.SendAsync(client, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri.Uri);
            if (credentials is { Username.Length: > 0 })
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")));
            }

            return request;
        }, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            SkiffException error = await RegistryErrors.FromResponseAsync(response, $"getting a token from {uri.Uri.GetLeftPart(UriPartial.Path)}", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new SkiffException(ErrorKind.PermissionDenied, credentials is null ? $"{endpoint.Registry}: authentication required" : $"{endpoint.Registry}: invalid username or password", "log in with 'skiff login' or pass --creds", error);
            }

            throw error;
        }

        byte[] body = await ReadLimitedAsync(response, 1 << 20, "token", cancellationToken).ConfigureAwait(false);
        TokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, AuthJsonContext.Default.TokenResponse);
        }
        catch (JsonException e)
        {
            throw SkiffException.InvalidArgument($"{endpoint.Registry}: the token endpoint answered with invalid JSON: {e.Message}");
        }

        return token?.Token is { Length: > 0 } t ? t
            : token?.AccessToken is { Length: > 0 } a ? a
            : throw SkiffException.InvalidArgument($"{endpoint.Registry}: the token endpoint answered without a token");
    }

    /// <summary>Reads a body up to <paramref name="limit"/> bytes; larger bodies are an error (never buffered whole).</summary>
    public static async Task<byte[]> ReadLimitedAsync(HttpResponseMessage response, long limit, string what, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is long declared && declared > limit)
        {
            throw SkiffException.InvalidArgument($"the {what} is {declared} bytes, over the {limit} byte limit");
        }

        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw SkiffException.InvalidArgument($"the {what} is over the {limit} byte limit");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A readable reason for a transport failure. The AOT build strips resource strings, so the
    /// framework's own messages are resource keys; the error category says it in words.
    /// </summary>
    public static string Describe(Exception e) => e switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "TLS handshake failed (the server may speak plain http, or its certificate is not trusted)",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "cannot resolve the host name",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "cannot connect (connection refused or unreachable)",
        HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "the connection was closed before the response ended",
        HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse } => "the server sent an invalid HTTP response",
        HttpRequestException { HttpRequestError: HttpRequestError.ProxyTunnelError } => "the proxy refused the connection",
        HttpRequestException => "the HTTP request failed",
        OperationCanceledException => "timed out",
        IOException => "the connection broke off (" + e.Message + ")",
        _ => e.Message,
    };

    /// <summary>What the user can do about a registry that did not answer, by what went wrong.</summary>
    public static string HintFor(Exception? failure, bool insecure) => failure switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } =>
            "check the registry name and the machine's DNS; without network access, use a local registry or `skiff load` / `skiff import`",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } when !insecure =>
            "for a registry without valid TLS pass --tls-verify=false or mark it insecure in registries.conf",
        _ when insecure => "check that the registry runs and the address is right",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } =>
            "check that the registry runs and the address is right; a plain-http registry needs --tls-verify=false or an insecure entry in registries.conf",
        _ => "check that the registry runs and the address is right; for a registry without valid TLS pass --tls-verify=false or mark it insecure in registries.conf",
    };

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameAuthority(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    public void Dispose() => client.Dispose();
}
