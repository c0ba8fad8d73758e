namespace CredentialBot.Domain;

/// <summary>
/// Counts, one App at a time (so a tenant of any size is counted without being held in memory), the Apps the posture
/// checks count: Apps holding a live credential that lives longer than allowed, and app registrations with no owner of
/// any kind. "Allowed" for a secret is the shorter of the App's CredentialBot policy maximum and the tenant
/// app-management policy's password lifetime; for a certificate the tenant's certificate lifetime, when either is set.
/// </summary>
public sealed class PostureTally(DateTimeOffset now, AppManagementSettings? tenantPolicy)
{
    /// <summary>
    /// Lifetimes are compared with a day's slack: the Entra portal's "12 months" ends a calendar year later, which is
    /// 366 days across a leap day, and must not count as longer than a 365-day maximum.
    /// </summary>
    private static readonly TimeSpan Slack = TimeSpan.FromDays(1);

    public int OverlongCredentialApps { get; private set; }

    public int UnownedAppRegistrations { get; private set; }

    /// <summary>True when the tenant's app-management policy was read, so its limits are part of the count.</summary>
    public bool IncludesTenantLimits => tenantPolicy is not null;

    public void Add(App app, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(policy);
        if (app.Credentials.Any(c => IsOverlong(c, app.Kind, policy)))
        {
            OverlongCredentialApps++;
        }

        if (app.Kind == AppKind.Application && app.Owners.Count == 0)
        {
            UnownedAppRegistrations++;
        }
    }

    /// <summary>The longest a credential of <paramref name="kind"/> on an App of <paramref name="appKind"/> may live, or null when nothing limits it.</summary>
    public TimeSpan? AllowedLifetime(CredentialKind kind, AppKind appKind, Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var tenant = tenantPolicy?.For(appKind) ?? CredentialRestrictions.None;
        return kind == CredentialKind.Secret
            ? Shorter(policy.MaximumSecretLifetime, tenant.MaxPasswordLifetime)
            : tenant.MaxCertificateLifetime;
    }

    private bool IsOverlong(Credential credential, AppKind appKind, Policy policy) =>
        !credential.IsExpired(now)
        && credential.StartsAt is { } start
        && AllowedLifetime(credential.Kind, appKind, policy) is { } allowed
        && credential.EndsAt - start > allowed + Slack;

    private static TimeSpan Shorter(TimeSpan policy, TimeSpan? tenant) => tenant is { } t && t < policy ? t : policy;
}
