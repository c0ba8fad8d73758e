namespace CredentialBot.Simulator;

/// <summary>An application or service principal. Mutate only through <see cref="SimulatorTenant"/> so delta sees changes.</summary>
public sealed class SimObject
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string DisplayName { get; set; }

    public SimObjectKind Kind { get; init; }

    public DateTimeOffset CreatedDateTime { get; init; }

    public string? ServicePrincipalType { get; init; }

    public string? PreferredSingleSignOnMode { get; init; }

    public string? Description { get; set; }

    public string? Notes { get; set; }

    /// <summary>Applications only: who may sign in (<c>AzureADMyOrg</c> is single tenant).</summary>
    public string? SignInAudience { get; set; }

    public List<string> Tags { get; init; } = [];

    public List<SimCredential> PasswordCredentials { get; init; } = [];

    public List<SimCredential> KeyCredentials { get; init; } = [];

    /// <summary>Owner object ids (users), in the order they were added.</summary>
    public List<string> OwnerIds { get; init; } = [];

    /// <summary>The tenant version of the last change; delta returns objects changed after a token's version.</summary>
    public long Version { get; internal set; }

    public bool Deleted { get; internal set; }
}
