namespace CredentialBot.Domain;

/// <summary>
/// One restriction of an app-management policy: its <see cref="Type"/> (see <see cref="CredentialRestrictionTypes"/>),
/// the longest lifetime it allows where it is a lifetime rule, the creation date from which apps fall under it, and
/// whether its <c>state</c> is enabled (Graph: <c>enabled</c>/<c>disabled</c>; absent means enabled).
/// </summary>
public sealed record CredentialRestriction(string Type, TimeSpan? MaxLifetime = null, DateTimeOffset? ForAppsCreatedAfter = null, bool Enabled = true);
