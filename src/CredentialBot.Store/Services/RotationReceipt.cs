using CredentialBot.Domain;

namespace CredentialBot.Store.Services;

/// <summary>A rotation waiting for its new credential's first use, as the receipt chore sees it.</summary>
public sealed record RotationReceipt(long Id, string AppObjectId, AppKind AppKind, string NewKeyId, string? CredentialName, DateTimeOffset RotatedAt, string RotatedByObjectId, string? RotatedByName, string? Card);
