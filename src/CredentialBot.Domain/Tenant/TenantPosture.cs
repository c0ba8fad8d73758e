namespace CredentialBot.Domain;

/// <summary>
/// The tenant settings that decide how much app sprawl and credential risk it invites, each read on its own: one that
/// cannot be read (typically a permission not granted, named in its refusal) leaves the others intact.
/// </summary>
public sealed record TenantPosture(
    DirectoryResult<DefaultUserAppPermissions> UserPermissions,
    DirectoryResult<AppManagementSettings> AppManagement,
    DirectoryResult<AdminConsentRequestSettings> AdminConsentRequests);
