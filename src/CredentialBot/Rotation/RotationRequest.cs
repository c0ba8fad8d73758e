using CredentialBot.Domain;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Rotation;

/// <summary>A rotation that passed every check: what to create, and which secret it replaces.</summary>
/// <param name="App">The App.</param>
/// <param name="Description">The new secret's display name.</param>
/// <param name="LifetimeDays">How long the new secret is valid.</param>
/// <param name="Replacing">The secret it replaces, removed after the grace period; null keeps every secret.</param>
/// <param name="GraceDays">Days until the replaced secret is removed.</param>
/// <param name="Vault">The Key Vault the new value goes to instead of the requester's dialog.</param>
/// <param name="Card">The card the rotation was started from, redrawn with the receipt when the new secret is first used.</param>
public sealed record RotationRequest(App App, string Description, int LifetimeDays, Credential? Replacing, int GraceDays, Uri? Vault, PostedCard? Card = null);
