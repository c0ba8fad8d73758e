namespace CredentialBot.Shared.Access.Scopes;

/// <summary>Section "AdminScopes": scoped admins, for infrastructure-as-code (see the README's "Admin scopes").</summary>
public sealed class AdminScopesOptions
{
    public const string SectionName = "AdminScopes";

    public IList<AdminScopeSetting> Scopes { get; } = [];
}
