using CredentialBot.Shared.Cards;

namespace CredentialBot.Status;

/// <summary>
/// What the person viewing a status card may do, so it shows only buttons that will work for them: Rotate now when
/// they can manage credentials, Request elevation otherwise; Add owner always (it becomes a request when needed).
/// </summary>
/// <param name="CanRotate">They may manage the App's credentials now.</param>
/// <param name="IsOwner">They own the App (of any kind), so they may transfer their ownership.</param>
/// <param name="Buttons">How dialog buttons open.</param>
public sealed record StatusViewer(bool CanRotate, bool IsOwner, DialogButtons Buttons = DialogButtons.TaskModule);
