using CredentialBot.BotFramework.Connector;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>
/// Unreachable is a state people leave: when the bot is added to a team or a team's roster changes, the roster is read
/// again and the notices waiting as unreachable for anyone now in it are due at once; the dispatcher then creates their
/// 1:1 conversation (<see cref="PersonalConversations"/>) and sends their digest. The claim gives each person one
/// digest however many of these events arrive together. Those still nowhere are looked for again on a backoff
/// (<see cref="DeliveryBackoff.NextReachAttempt"/>).
/// </summary>
public sealed partial class UnreachableRecipients(
    Outbox outbox,
    TeamRosters rosters,
    IConnectorClient connector,
    DispatchSignal dispatch,
    ILogger<UnreachableRecipients> logger)
{
    /// <summary>How many waiting people are checked against one roster event; more wait for the periodic retry.</summary>
    private const int MaxPeople = 10_000;

    /// <summary>Reads the team's roster afresh and wakes the waiting people found in it; returns how many were found.</summary>
    public async Task<int> ReviveFromTeamAsync(ConversationReferenceRecord team, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(team);
        if (team.TenantId is null)
        {
            // A 1:1 conversation is created in a tenant; without one the roster is of no use (PersonalConversations).
            return 0;
        }

        var waiting = await outbox.ListUnreachableRecipientsAsync(MaxPeople, cancellationToken);
        if (waiting.Count == 0)
        {
            return 0;
        }

        var members = await rosters.ReloadAsync(team, connector, cancellationToken);
        IReadOnlyCollection<string> found = [.. waiting.Where(members.Contains)];
        if (found.Count == 0)
        {
            return 0;
        }

        var woken = await outbox.WakeRecipientsAsync(found, cancellationToken);
        LogFound(logger, found.Count, woken);
        dispatch.Wake();
        return found.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{People} people who could not be reached are in a team's roster now; {Notices} notices are due again")]
    private static partial void LogFound(ILogger logger, int people, int notices);
}
