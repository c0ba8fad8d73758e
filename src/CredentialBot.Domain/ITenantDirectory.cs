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

    /// <summary>
    /// The people among <paramref name="objectIds"/> as the directory has them now, <see cref="Person.AccountEnabled"/>
    /// included: how a scan learns that an owner of any kind was disabled or deleted since it last looked (owner and
    /// account changes are not application changes, so delta rounds never report them). Someone missing from the answer
    /// is no longer in the directory — deleted users are not listed — or never was. Read as background work.
    /// </summary>
    Task<IReadOnlyDictionary<string, Person>> GetPeopleAsync(IReadOnlyCollection<string> objectIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tenant's app posture: who may register apps and consent to them (authorization policy), the default
    /// app-management policy's credential restrictions, and whether the admin consent workflow is on. Each part is read
    /// on its own; one the bot may not read comes back as a refusal naming the permission (<c>Policy.Read.All</c>).
    /// </summary>
    Task<TenantPosture> GetTenantPostureAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The app registrations whose display name is <paramref name="displayName"/> (Graph compares it without regard to
    /// case), without owners: enough to warn that a name is taken before a new App is created under it.
    /// </summary>
    Task<IReadOnlyList<App>> FindApplicationsByNameAsync(string displayName, CancellationToken cancellationToken = default);

    /// <summary>
    /// When each of <paramref name="app"/>'s credentials was last used to sign in, from Entra's usage reports (Graph
    /// beta). A tenant without Microsoft Entra ID P1/P2 or a bot without <c>AuditLog.Read.All</c> gets a refusal saying
    /// so, never an exception.
    /// </summary>
    Task<DirectoryResult<CredentialUsage>> GetCredentialUsageAsync(App app, CancellationToken cancellationToken = default);

    /// <summary>
    /// The last use of every credential in the tenant that the usage reports know (Graph beta, one listing of all
    /// Apps), for counting unused credentials. Refused as <see cref="GetCredentialUsageAsync"/> is.
    /// </summary>
    Task<DirectoryResult<TenantCredentialUsage>> GetTenantCredentialUsageAsync(CancellationToken cancellationToken = default);
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

/// <summary>
/// Changes to the tenant that CredentialBot makes on a person's behalf, after Domain has authorized them. Kept apart
/// from <see cref="ITenantDirectory"/> because they need write permissions the scanner never does.
/// </summary>
public interface ITenantAdministration
{
    /// <summary>
    /// One App as the directory has it now, with credentials and Entra owners; null when it is gone. A read made while a
    /// person waits: it never asks for what Graph caps tightly (certificate keys), so no scan can hold it up.
    /// </summary>
    Task<App?> GetAppAsync(AppKind kind, string objectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a client secret (Graph addPassword) and returns it as Graph created it: its credential (key id, name, start,
    /// end) and hint are complete, so the App's snapshot can be updated from it without reading the App again. The
    /// value is returned once and must never be stored or logged.
    /// </summary>
    Task<NewSecret> AddSecretAsync(AppKind kind, string objectId, string displayName, DateTimeOffset endsAt, CancellationToken cancellationToken = default);

    /// <summary>Removes a client secret (Graph removePassword); false when it was already gone.</summary>
    Task<bool> RemoveSecretAsync(AppKind kind, string objectId, string keyId, CancellationToken cancellationToken = default);

    /// <summary>Makes a person an Entra owner (Graph <c>owners/$ref</c>).</summary>
    Task AddEntraOwnerAsync(AppKind kind, string objectId, string personObjectId, CancellationToken cancellationToken = default);

    /// <summary>Removes an Entra owner; false when they were not one.</summary>
    Task<bool> RemoveEntraOwnerAsync(AppKind kind, string objectId, string personObjectId, CancellationToken cancellationToken = default);

    /// <summary>True when the person is a member, directly or through nesting, of any of the groups.</summary>
    Task<bool> IsMemberOfAnyAsync(string personObjectId, IReadOnlyList<string> groupIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The object ids of the users in the group, directly or through nested groups, at most <paramref name="max"/> of
    /// them (Graph <c>transitiveMembers/microsoft.graph.user</c>); empty when there is no such group.
    /// </summary>
    Task<IReadOnlyList<string>> ListUsersInGroupAsync(string groupId, int max, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a time-bound PIM assignment of a directory role scoped to one App (<c>/{objectId}</c>); returns the
    /// schedule request's id.
    /// </summary>
    Task<string> AssignTimeBoundRoleAsync(string personObjectId, string roleDefinitionId, string appObjectId, DateTimeOffset startsAt, TimeSpan duration, string justification, string? ticket, CancellationToken cancellationToken = default);

    /// <summary>
    /// The tenant's maximum password lifetime for new secrets (default app-management policy), when set and readable;
    /// it may have been read a few minutes ago. It shapes what the bot offers; Entra itself refuses a longer secret.
    /// </summary>
    Task<TimeSpan?> GetSecretLifetimeLimitAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a single-tenant app registration and its service principal, makes the bot's own service principal an
    /// owner first and then the people named, and returns the App as a scan would see it. What the directory refuses
    /// after the App exists (an owner, the service principal) is listed in <see cref="CreatedApplication.NotDone"/>;
    /// a refusal to create the App at all is the result's refusal. Check <see cref="NewApplication.Problems"/> first.
    /// </summary>
    Task<DirectoryResult<CreatedApplication>> CreateApplicationAsync(NewApplication application, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds <paramref name="certificate"/> to the App's key credentials and returns the credential as now listed. The
    /// App's existing certificates are kept: Graph replaces the whole collection on update, so they are read (with their
    /// keys, as a person's request) and sent back with the new one. Refusals (a bad certificate, a permission, an App
    /// that is gone, an enterprise app whose SAML signing keys must not be resent) are values.
    /// </summary>
    Task<DirectoryResult<Credential>> AddCertificateAsync(AppKind kind, string objectId, PublicCertificate certificate, string? displayName, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the certificate <paramref name="keyId"/> from the App's key credentials, keeping the others, and returns
    /// the credential removed; a NotFound refusal when it was already gone.
    /// </summary>
    Task<DirectoryResult<Credential>> RemoveCertificateAsync(AppKind kind, string objectId, string keyId, CancellationToken cancellationToken = default);
}

/// <summary>
/// A secret just created. <see cref="Value"/> is shown once to the person who asked and then dropped; it never
/// reaches a log (ToString hides it), a database row, an audit event or a chat message. Everything else is what Graph's
/// addPassword answered (its passwordCredential: keyId, displayName, hint, startDateTime, endDateTime).
/// </summary>
public sealed class NewSecret(string keyId, string value, string? hint, DateTimeOffset endsAt, string? displayName = null, DateTimeOffset? startsAt = null)
{
    public string KeyId { get; } = keyId;

    public string Value { get; } = value;

    public string? Hint { get; } = hint;

    public DateTimeOffset EndsAt { get; } = endsAt;

    public string? DisplayName { get; } = displayName;

    public DateTimeOffset? StartsAt { get; } = startsAt;

    /// <summary>The new secret as the App now lists it (without its value).</summary>
    public Credential Credential => new(KeyId, CredentialKind.Secret, DisplayName, StartsAt, EndsAt);

    /// <summary>
    /// <paramref name="app"/> as it is now that this secret was added: the snapshot a card is redrawn from, without
    /// reading the App back from the directory.
    /// </summary>
    public App AddedTo(App app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app with { Credentials = [.. app.Credentials.Where(c => c.KeyId != KeyId), Credential] };
    }

    public override string ToString() => $"NewSecret {{ KeyId = {KeyId}, Value = (hidden), EndsAt = {EndsAt:O} }}";
}
