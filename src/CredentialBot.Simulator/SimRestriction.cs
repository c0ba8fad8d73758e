namespace CredentialBot.Simulator;

/// <summary>
/// One restriction of an app-management policy as Graph writes it: <c>restrictionType</c> (passwordAddition,
/// passwordLifetime, customPasswordAddition, symmetricKeyAddition, symmetricKeyLifetime; asymmetricKeyLifetime for
/// keys), <c>maxLifetime</c>, <c>restrictForAppsCreatedAfterDateTime</c> and <c>state</c> (enabled or disabled).
/// </summary>
public sealed record SimRestriction(string RestrictionType, TimeSpan? MaxLifetime = null, DateTimeOffset? RestrictForAppsCreatedAfter = null, string State = "enabled");
