using CredentialBot.Shared.Messaging;

namespace CredentialBot.Digests;

/// <summary>Settings of section "Notifications" (Teams' send limits, in the same section, are <see cref="SendLimitOptions"/>).</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How often the outbox is checked when nothing wakes the dispatcher earlier.</summary>
    public TimeSpan DispatchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When a person cannot be reached yet (in no team the bot is in, app not installed), the first wait before looking
    /// again; each later wait is as long as they have waited so far, up to <see cref="UnreachableRetryLimit"/>.
    /// Installing the app, or the bot finding them in a team's roster, wakes them at once.
    /// </summary>
    public TimeSpan UnreachableRetry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest wait between two looks for a person who cannot be reached.</summary>
    public TimeSpan UnreachableRetryLimit { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Runs the background dispatcher; off only where something else drives it (tests, a CLI).</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>
    /// How long a claimed notice belongs to the instance sending it. A notice still unsent when its claim lapses (its
    /// sender died) is claimed and sent again; see docs/delivery.md.
    /// </summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Digests in flight at once; the rate limits, not this, set the pace.</summary>
    public int MaxConcurrentSends { get; set; } = 16;

    /// <summary>
    /// The channel conversation (its <c>19:…</c> id, where the bot is installed) that hears about credentials with no
    /// active owner. Optional.
    /// </summary>
    public string? AdminChannelConversationId { get; set; }

    /// <summary>An ITSM webhook that receives the same escalations as signed JSON. Optional.</summary>
    public string? EscalationWebhookUrl { get; set; }

    /// <summary>The HMAC key for <see cref="EscalationWebhookUrl"/>'s signature; keep it in a secret store.</summary>
    public string? EscalationWebhookSecret { get; set; }
}
