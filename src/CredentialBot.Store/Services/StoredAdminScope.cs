using CredentialBot.Domain;

namespace CredentialBot.Store.Services;

/// <summary>An admin scope made in Teams, with when and by whom it was last saved.</summary>
public sealed record StoredAdminScope(AdminScope Scope, DateTimeOffset UpdatedAt, string? UpdatedBy);
