using System.Net;
using Skiff.Core.Errors;

namespace Skiff.Images.Registry;

/// <summary>
/// Bounded retries with exponential backoff for what a registry or the network may get right on a second
/// try: 5xx (except 501), 408, 429 (honouring a short Retry-After), connection resets and timeouts.
/// Anything else (4xx, digest errors) is final at once. The delay is injectable so tests don't sleep.
/// </summary>
public sealed class RetryPolicy(int maxAttempts, TimeSpan firstDelay, Func<TimeSpan, CancellationToken, Task>? delay = null)
{
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    public static RetryPolicy Default { get; } = new(4, TimeSpan.FromMilliseconds(500));

    private readonly Func<TimeSpan, CancellationToken, Task> delay = delay ?? Task.Delay;

    public int MaxAttempts { get; } = maxAttempts;

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
        || ((int)status >= 500 && status != HttpStatusCode.NotImplemented && status != HttpStatusCode.HttpVersionNotSupported);

    /// <summary>True for exceptions a retry can cure: resets, refused/aborted connections, timeouts (not the caller's cancellation).</summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException } => false,
        HttpRequestException or IOException => true,
        _ => false,
    };

    public TimeSpan DelayFor(int attempt, HttpResponseMessage? response = null)
    {
        TimeSpan backoff = TimeSpan.FromTicks(firstDelay.Ticks * (1L << Math.Min(attempt, 10)));
        TimeSpan? retryAfter = response?.Headers.RetryAfter?.Delta
            ?? (response?.Headers.RetryAfter?.Date is DateTimeOffset date ? date - DateTimeOffset.UtcNow : null);
        if (retryAfter is TimeSpan asked && asked > backoff)
        {
            backoff = asked;
        }

        return backoff > MaxDelay ? MaxDelay : backoff;
    }

    public Task WaitAsync(int attempt, HttpResponseMessage? response, CancellationToken cancellationToken) =>
        delay(DelayFor(attempt, response), cancellationToken);

    /// <summary>
    /// Sends the request built by <paramref name="build"/> (a new message per attempt) until it gets a
    /// non-transient answer or the attempts run out; then returns the last response or rethrows.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(HttpClient client, Func<HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            bool last = attempt + 1 >= MaxAttempts;
            HttpResponseMessage response;
            try
            {
                using HttpRequestMessage request = build();
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!last && IsTransient(e, cancellationToken))
            {
                await WaitAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw SkiffException.Unavailable("the registry did not answer in time", "check the network and try again", e);
            }

            if (last || !IsTransient(response.StatusCode))
            {
                return response;
            }

            await WaitAsync(attempt, response, cancellationToken).ConfigureAwait(false);
            response.Dispose();
        }
    }
}
