namespace CredentialBot.Simulator;

/// <summary>The tenant's default app-management policy (off with no restrictions, as in a new tenant).</summary>
public sealed class SimAppManagementPolicy
{
    public bool IsEnabled { get; set; }

    public List<SimRestriction> ApplicationPasswords { get; } = [];

    public List<SimRestriction> ApplicationKeys { get; } = [];

    public List<SimRestriction> ServicePrincipalPasswords { get; } = [];

    public List<SimRestriction> ServicePrincipalKeys { get; } = [];
}
