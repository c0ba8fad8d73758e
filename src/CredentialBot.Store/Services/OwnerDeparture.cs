using CredentialBot.Domain;

namespace CredentialBot.Store.Services;

/// <summary>An owner found disabled or deleted on one App, and when the bot found them so.</summary>
public sealed record OwnerDeparture(long Id, string AppObjectId, Owner Owner, DateTimeOffset FoundAt);
