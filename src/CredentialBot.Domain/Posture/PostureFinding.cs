namespace CredentialBot.Domain;

/// <summary>
/// One tenant posture check as an admin reads it: what was checked, how it came out, the finding in a sentence, why it
/// matters, and the Entra admin center page where the setting is changed. <see cref="MissingPermission"/> names the
/// Graph permission to grant when the setting could not be read for lack of it.
/// </summary>
public sealed record PostureFinding(string Check, PostureRating Rating, string Finding, string Why, Uri AdminCenterLink, string? MissingPermission = null);
