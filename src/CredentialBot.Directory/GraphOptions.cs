using Microsoft.Extensions.Options;

namespace CredentialBot.Directory;

/// <summary>Section "Graph": where the tenant directory is and how the bot signs in to it.</summary>
public sealed class GraphOptions
{
    public const string SectionName = "Graph";

    /// <summary>Graph's v1.0 endpoint; local mode points it at the Simulator.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>The tenant to read.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration the bot uses for Graph (often the bot's own).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string? CertificatePath { get; set; }

    /// <summary>Client id of a user-assigned managed identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

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

/// <summary>A real tenant needs a tenant, a client and one credential; the message names what is missing.</summary>
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

        if (options.UseSimulator)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.TenantId))
        {
            failures.Add("Graph:TenantId is required to read a real tenant.");
        }

        if (string.IsNullOrWhiteSpace(options.ManagedIdentityClientId))
        {
            if (string.IsNullOrWhiteSpace(options.ClientId))
            {
                failures.Add("Graph:ClientId is required (or set Graph:ManagedIdentityClientId).");
            }

            if (string.IsNullOrWhiteSpace(options.ClientSecret) && string.IsNullOrWhiteSpace(options.CertificatePath))
            {
                failures.Add("Graph needs a credential: set Graph:ClientSecret, Graph:CertificatePath or Graph:ManagedIdentityClientId.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
