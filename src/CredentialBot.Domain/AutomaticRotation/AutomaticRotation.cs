namespace CredentialBot.Domain;

/// <summary>
/// A policy's opt-in to hands-free rotation: the bot rotates a secret on its own <see cref="DaysBeforeExpiry"/> days
/// before it expires, writes the new value to the App's allowed Key Vault, and expects the new secret to be used within
/// <see cref="UseWindowDays"/> days before it tells the owners something is still reading the old one.
/// </summary>
/// <param name="DaysBeforeExpiry">How many days before expiry the bot rotates (within the policy's stages).</param>
/// <param name="UseWindowDays">How many days the new secret has to be first used before the owners are told.</param>
public sealed record AutomaticRotation(int DaysBeforeExpiry, int UseWindowDays);
