using CredentialBot.Domain;
using CredentialBot.Store.Entities;

namespace CredentialBot.Store.Services;

/// <summary>
/// A scheduled removal of an old secret, as cards and the janitor see it. <paramref name="AskedAt"/> is when owners were
/// asked because it was still used (the janitor then leaves it to them), <paramref name="LastUsedAt"/> the last use the
/// usage reports knew of then.
/// </summary>
public sealed record SecretRemoval(long Id, string AppObjectId, AppKind AppKind, string KeyId, string? CredentialName, DateTimeOffset DueAt, string RequestedByObjectId, string? RequestedByName, SecretRemovalStatus Status, DateTimeOffset? AskedAt = null, DateTimeOffset? LastUsedAt = null, DateTimeOffset? RotatedAt = null);
