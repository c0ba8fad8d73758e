using Microsoft.Extensions.Options;

namespace CredentialBot.Directory;

/// <summary>
/// Section "Graph": where the tenant directory is. How the bot signs in to it (<c>Graph:ManagedIdentityClientId</c>,
/// <c>Graph:AzureAd</c>, <c>Graph:TenantId</c> and the older <c>Graph:ClientId</c>/<c>ClientSecret</c>/<c>CertificatePath</c>)
/// is read by <see cref="AppIdentityConfiguration"/>.
/// </summary>
public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    /// <summary>Graph's v1.0 endpoint; local mode points it at the Simulator.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>
    /// Graph's cap on requests that select <c>keyCredentials</c>: 150 per minute per tenant. The scan paces itself to
    /// it (0 turns pacing off, for a Simulator without limits).
    /// </summary>
    public int KeyCredentialRequests { get; set; } = 150;

    public TimeSpan KeyCredentialWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Of <see cref="KeyCredentialRequests"/>, how many per window background work (the scan) leaves to requests a
    /// person waits on. Background work also waits while any such request is queued.
    /// </summary>
    public int KeyCredentialInteractiveReserve { get; set; } = 30;

    /// <summary>
    /// Resource units per second the scan may spend on average (its bucket holds ten seconds' worth). Graph gives each
    /// app 3,500, 5,000 or 8,000 units per 10 seconds in a tenant of under 50, up to 500, or more users; the default,
    /// half of the smallest, leaves at least half of any tenant's budget to interactive requests. 0 turns pacing off.
    /// </summary>
    public int ScanResourceUnitsPerSecond { get; set; } = 175;

    /// <summary>The Simulator takes no token; set when <see cref="BaseUrl"/> is a Simulator.</summary>
    public bool UseSimulator { get; set; }
}

/// <summary>The endpoint and pacing must make sense; the identity is checked with the app identity.</summary>
public sealed class GraphOptionsValidator : IValidateOptions<GraphOptions>
{
    public ValidateOptionsResult Validate(string? name, GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out _))
        {
            return ValidateOptionsResult.Fail("Graph:BaseUrl must be an absolute URL.");
        }

        if (options.KeyCredentialRequests < 0 || options.KeyCredentialWindow <= TimeSpan.Zero)
        {
            return ValidateOptionsResult.Fail("Graph:KeyCredentialRequests must be 0 (no pacing) or more, and Graph:KeyCredentialWindow positive.");
        }

        if (options.KeyCredentialRequests > 0 && (options.KeyCredentialInteractiveReserve < 0 || options.KeyCredentialInteractiveReserve >= options.KeyCredentialRequests))
        {
            return ValidateOptionsResult.Fail($"Graph:KeyCredentialInteractiveReserve must be at least 0 and less than Graph:KeyCredentialRequests ({options.KeyCredentialRequests}).");
        }

        if (options.ScanResourceUnitsPerSecond < 0)
        {
            return ValidateOptionsResult.Fail("Graph:ScanResourceUnitsPerSecond must be 0 (no pacing) or more.");
        }

        // Graph's credential is checked with the app identity (AzureAd, Graph:AzureAd, Graph:ManagedIdentityClientId).
        return ValidateOptionsResult.Success;
    }
}
