using System.Threading.RateLimiting;

namespace CredentialBot.Directory;

/// <summary>
/// Keeps requests that <c>$select</c> <c>keyCredentials</c> under Graph's cap for that pattern (150 per minute per
/// tenant, specs/graph-calls.md §1) by waiting on this side instead of collecting 429s: a scan lists every App with
/// its certificates, and Graph would otherwise throttle it once a minute. It sits last in the Graph pipeline, so
/// retries are paced too.
/// </summary>
/// <remarks>
/// A sliding window returns a permit up to one segment early, so with segments of a second (a twentieth of shorter
/// windows) the window is two segments longer than Graph's: a request never starts within <see cref="GraphOptions.KeyCredentialWindow"/> of
/// the one <see cref="GraphOptions.KeyCredentialRequests"/> places before it, even with a second of clock jitter.
/// </remarks>
internal sealed class KeyCredentialPacing : DelegatingHandler
{
    private readonly SlidingWindowRateLimiter _limiter;

    public KeyCredentialPacing(int requests, TimeSpan window)
    {
        var segment = TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, window.Ticks / 20));
        var paced = window + segment + segment;
        _limiter = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = requests,
            Window = paced,
            SegmentsPerWindow = (int)Math.Ceiling(paced / segment),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>GET requests whose query selects <c>keyCredentials</c> (next links repeat the <c>$select</c>).</summary>
    internal static bool SelectsKeyCredentials(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get
        && request.RequestUri is { } uri
        && Uri.UnescapeDataString(uri.Query).Contains("keyCredentials", StringComparison.OrdinalIgnoreCase);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!SelectsKeyCredentials(request))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var lease = await _limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _limiter.Dispose();
        }

        base.Dispose(disposing);
    }
}
