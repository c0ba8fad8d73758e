namespace CredentialBot.Directory;

/// <summary>
/// Keeps requests that <c>$select</c> <c>keyCredentials</c> under Graph's cap for them ("The use of $select to get
/// keyCredentials for applications has a throttling limit of 150 requests per minute for every tenant",
/// learn.microsoft.com/graph/api/application-list) by waiting on this side instead of collecting 429s. It sits last in
/// the Graph pipeline, so retries are paced too.
/// </summary>
/// <remarks>
/// Background work (requests sent with <c>x-ms-throttle-priority: low</c>) may use the cap only up to
/// <see cref="GraphOptions.KeyCredentialInteractiveReserve"/> short of it, and yields to any interactive request
/// waiting: an interactive request starts at once unless interactive requests alone filled the cap within the window.
/// Nothing the product sends today selects keyCredentials (the default projection carries them without the key), so
/// this is the guard for any read that someday needs the key.
/// </remarks>
internal sealed class KeyCredentialPacing(KeyCredentialBudget budget) : DelegatingHandler
{
    /// <summary>GET requests whose query selects <c>keyCredentials</c> (next links repeat the <c>$select</c>).</summary>
    internal static bool SelectsKeyCredentials(HttpRequestMessage request) =>
        request.Method == HttpMethod.Get
        && request.RequestUri is { } uri
        && Uri.UnescapeDataString(uri.Query).Contains("keyCredentials", StringComparison.OrdinalIgnoreCase);

    /// <summary>Graph's throttling header marks work nobody is waiting for: "Throttling this request doesn't cause user-visible failures".</summary>
    internal static bool IsBackground(HttpRequestMessage request) =>
        request.Headers.TryGetValues(GraphTenantDirectory.ThrottlePriorityHeader, out var values)
        && values.Any(v => string.Equals(v, GraphTenantDirectory.LowPriority, StringComparison.OrdinalIgnoreCase));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (SelectsKeyCredentials(request))
        {
            await budget.AdmitAsync(interactive: !IsBackground(request), cancellationToken).ConfigureAwait(false);
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
