namespace CredentialBot.Domain;

/// <summary>The password and certificate restrictions an app-management policy sets for one kind of App.</summary>
public sealed record CredentialRestrictions(IReadOnlyList<CredentialRestriction> Passwords, IReadOnlyList<CredentialRestriction> Certificates)
{
    public static CredentialRestrictions None { get; } = new([], []);

    /// <summary>True when an enabled restriction of <paramref name="type"/> is set.</summary>
    public bool Restricts(string type) => Passwords.Concat(Certificates).Any(r => r.Enabled && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase));

    /// <summary>New client secrets are blocked (<c>passwordAddition</c>).</summary>
    public bool BlocksPasswords => Restricts(CredentialRestrictionTypes.PasswordAddition);

    /// <summary>Secrets with a value of one's own choosing are blocked (<c>customPasswordAddition</c>).</summary>
    public bool BlocksCustomPasswords => Restricts(CredentialRestrictionTypes.CustomPasswordAddition);

    /// <summary>The longest a new secret may live (<c>passwordLifetime</c>), when limited.</summary>
    public TimeSpan? MaxPasswordLifetime => ShortestLifetime(Passwords, CredentialRestrictionTypes.PasswordLifetime);

    /// <summary>The longest a new certificate may live (<c>asymmetricKeyLifetime</c>), when limited.</summary>
    public TimeSpan? MaxCertificateLifetime => ShortestLifetime(Certificates, CredentialRestrictionTypes.AsymmetricKeyLifetime);

    /// <summary>True when no enabled password restriction at all is set: the tenant leaves secrets unrestricted.</summary>
    public bool LeavesPasswordsUnrestricted => !Passwords.Any(r => r.Enabled);

    private static TimeSpan? ShortestLifetime(IEnumerable<CredentialRestriction> restrictions, string type) =>
        restrictions.Where(r => r.Enabled && r.MaxLifetime is not null && string.Equals(r.Type, type, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.MaxLifetime)
            .Min();
}
