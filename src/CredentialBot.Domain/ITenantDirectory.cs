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

    /// <summary>
    /// A delta link for the collection as it is now, without reading it (Graph's <c>$deltatoken=latest</c>). Taken
    /// just before a full listing, so changes made during the listing are seen by the next delta round.
    /// </summary>
    Task<string> GetLatestDeltaLinkAsync(AppKind kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// The changes since <paramref name="deltaLink"/>, a page at a time, each changed App complete with its owners.
    /// Throws <see cref="DeltaExpiredException"/> when the link is too old.
    /// </summary>
    IAsyncEnumerable<DirectoryChanges> GetChangesAsync(AppKind kind, string deltaLink, CancellationToken cancellationToken = default);
}

/// <summary>One page of directory changes since a delta link. The last page carries the next <see cref="DeltaLink"/>.</summary>
public sealed record DirectoryChanges(IReadOnlyList<App> Changed, IReadOnlyList<string> Removed, string? DeltaLink);

/// <summary>The directory no longer knows the delta link (Graph: 410 SyncStateNotFound): resynchronize from scratch.</summary>
public sealed class DeltaExpiredException : Exception
{
    public DeltaExpiredException()
    {
    }

    public DeltaExpiredException(string message)
        : base(message)
    {
    }

    public DeltaExpiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
