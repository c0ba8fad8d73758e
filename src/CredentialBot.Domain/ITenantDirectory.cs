namespace CredentialBot.Domain;

/// <summary>
/// The tenant directory (Microsoft Graph in production, the Simulator locally), shaped for the domain.
/// Listings stream page by page so a tenant of any size is never held in memory.
/// </summary>
public interface ITenantDirectory
{
    /// <summary>Every application registration with its credentials and Entra owners.</summary>
    IAsyncEnumerable<App> GetApplicationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every service principal with its credentials and Entra owners.</summary>
    IAsyncEnumerable<App> GetServicePrincipalsAsync(CancellationToken cancellationToken = default);

    /// <summary>Finds a person by object id, user principal name or mail; null when nobody matches.</summary>
    Task<Person?> FindPersonAsync(string idOrUpnOrMail, CancellationToken cancellationToken = default);

    /// <summary>A cheap call proving the directory answers (readiness).</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken = default);
}
