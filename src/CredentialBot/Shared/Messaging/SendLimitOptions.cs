using System.ComponentModel.DataAnnotations;

namespace CredentialBot.Shared.Messaging;

/// <summary>
/// Teams' published limits for proactive messages, from section "Notifications" (where they have always been set):
/// every proactive send, digest or interactive, stays within them.
/// </summary>
public sealed class SendLimitOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>Requests to the Connector per second per tenant (Teams: 50 per second per bot per tenant), never exceeded in any second.</summary>
    [Range(2, 1_000, ErrorMessage = "Notifications:TenantSendsPerSecond must be between 2 and 1000.")]
    public int TenantSendsPerSecond { get; set; } = 50;

    /// <summary>
    /// Requests per second kept back from <see cref="TenantSendsPerSecond"/> when pacing: the slots are spaced for the
    /// limit minus this. The limit itself is held by <see cref="TenantRequestBudget"/>'s count of requests in flight or
    /// answered within the last second, whatever the pacing, so none is needed (0): slots at the limit keep the budget
    /// full. Keeping some back makes that count hold a request back less often, at the cost of the rate.
    /// </summary>
    [Range(0, 998, ErrorMessage = "Notifications:TenantSendHeadroom must be between 0 and 998.")]
    public int TenantSendHeadroom { get; set; }

    /// <summary>Sends per second to one conversation (Teams: 7 per second).</summary>
    [Range(1, 1_000, ErrorMessage = "Notifications:ConversationSendsPerSecond must be between 1 and 1000.")]
    public int ConversationSendsPerSecond { get; set; } = 7;

    /// <summary>Sends per 30 seconds to one conversation (Teams: 60 per 30 seconds).</summary>
    [Range(1, 30_000, ErrorMessage = "Notifications:ConversationSendsPer30Seconds must be between 1 and 30000.")]
    public int ConversationSendsPer30Seconds { get; set; } = 60;

    /// <summary>The rate the send slots are spaced for.</summary>
    public int PacedSendsPerSecond => TenantSendsPerSecond - TenantSendHeadroom;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PacedSendsPerSecond < 2)
        {
            yield return new ValidationResult(
                $"Notifications:TenantSendHeadroom ({TenantSendHeadroom}) must leave at least 2 sends per second of Notifications:TenantSendsPerSecond ({TenantSendsPerSecond}).",
                [nameof(TenantSendHeadroom)]);
        }
    }
}
