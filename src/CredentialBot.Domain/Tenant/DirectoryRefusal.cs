namespace CredentialBot.Domain;

/// <summary>
/// What the directory refused and why, as a value a card can show: <see cref="Reason"/> is a sentence for people,
/// <see cref="RequiredPermission"/> the Graph permission to grant when that is what is missing (e.g.
/// <c>Policy.Read.All</c>). Never carries a secret or a certificate's key.
/// </summary>
public sealed record DirectoryRefusal(DirectoryRefusalKind Kind, string Reason, string? RequiredPermission = null);
