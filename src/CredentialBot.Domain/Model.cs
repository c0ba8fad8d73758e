namespace CredentialBot.Domain;

/// <summary>Whether an <see cref="App"/> is an application registration or a service principal (enterprise application).</summary>
public enum AppKind
{
    Application,
    ServicePrincipal,
}

/// <summary>A client secret (password credential) or a certificate (key credential).</summary>
public enum CredentialKind
{
    Secret,
    Certificate,
}

/// <summary>
/// The kinds of accountable people. <see cref="Entra"/> owners are native Graph owners; technical and
/// business owners are kept in CredentialBot's store.
/// </summary>
public enum OwnerKind
{
    Entra,
    Technical,
    Business,
}

/// <summary>A credential on an App. Entra ids are opaque strings, never parsed as GUIDs.</summary>
public sealed record Credential(
    string KeyId,
    CredentialKind Kind,
    string? DisplayName,
    DateTimeOffset? StartsAt,
    DateTimeOffset EndsAt)
{
    /// <summary>
    /// Days from <paramref name="now"/> to expiry, a part day counting as one, as expiry stages count: a credential
    /// inside the 7-day stage has at most 7 days left, one 1.5 days from expiry has 2 (and is in the 7-day stage, not
    /// yet the 1-day one). Zero or negative once expired.
    /// </summary>
    public int DaysLeft(DateTimeOffset now) => (int)Math.Ceiling((EndsAt - now).TotalDays);

    public bool IsExpired(DateTimeOffset now) => EndsAt <= now;
}

/// <summary>A person in the tenant directory.</summary>
public sealed record Person(
    string ObjectId,
    string DisplayName,
    string? UserPrincipalName,
    string? Mail,
    bool AccountEnabled = true);

/// <summary>
/// A person accountable for an App. <see cref="CanManageCredentials"/> is the ManageCredentials right a
/// technical owner may hold; Entra owners can always manage credentials natively.
/// </summary>
public sealed record Owner(
    OwnerKind Kind,
    string ObjectId,
    string DisplayName,
    string? UserPrincipalName,
    bool AccountEnabled = true,
    bool Deleted = false,
    bool CanManageCredentials = false)
{
    /// <summary>An owner who can no longer act: disabled in the directory or deleted from it.</summary>
    public bool IsInactive => Deleted || !AccountEnabled;
}

/// <summary>An application registration or service principal, keyed by its object id.</summary>
public sealed record App(
    string ObjectId,
    string AppId,
    string DisplayName,
    AppKind Kind,
    IReadOnlyList<Credential> Credentials,
    IReadOnlyList<Owner> Owners,
    IReadOnlyList<string>? Tags = null,
    bool ExternallyManaged = false)
{
    public IReadOnlyList<string> TagsOrEmpty => Tags ?? [];

    /// <summary>The credential that expires first, or null when the App has none.</summary>
    public Credential? NearestExpiry => Credentials.Count == 0 ? null : Credentials.MinBy(c => c.EndsAt);

    public IEnumerable<Owner> OwnersOf(OwnerKind kind) => Owners.Where(o => o.Kind == kind);

    /// <summary>True when <paramref name="objectId"/> is an owner of any kind (opaque, ordinal comparison).</summary>
    public bool IsOwnedBy(string objectId) => Owners.Any(o => string.Equals(o.ObjectId, objectId, StringComparison.Ordinal));
}
