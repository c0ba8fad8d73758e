namespace CredentialBot.Digests;

/// <summary>A credential whose stage notices someone paused (snoozed for days, or acknowledged until it expires).</summary>
/// <param name="AppObjectId">The App.</param>
/// <param name="CredentialKeyId">The credential.</param>
/// <param name="Until">Notices resume after this (an expiry is announced regardless).</param>
/// <param name="ByName">Who paused them.</param>
/// <param name="At">When.</param>
public sealed record NoticePause(string AppObjectId, string CredentialKeyId, DateTimeOffset Until, string? ByName, DateTimeOffset At);
