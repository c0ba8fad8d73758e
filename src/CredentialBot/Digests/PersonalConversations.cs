using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Shared.Messaging;
using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;

namespace CredentialBot.Digests;

/// <summary>
/// Finds a person's 1:1 conversation with the bot, or creates it: the person's Teams id comes from the roster of a
/// team the bot is in (<see cref="TeamRosters"/>), and Teams only creates the conversation when the app is installed
/// for the person. The new conversation is stored like one from an install.
/// </summary>
public sealed partial class PersonalConversations(ConversationReferenceStore references, IConnectorClient connector, TeamRosters rosters, TimeProvider time, ILogger<PersonalConversations> logger)
{
    public async Task<ConversationReference?> FindOrCreateAsync(string personObjectId, CancellationToken cancellationToken)
    {
        if (await references.FindPersonalAsync(personObjectId, cancellationToken) is { } existing)
        {
            return existing.ToReference();
        }

        var teams = (await references.ListChannelsAsync(cancellationToken))
            .Where(r => r.TenantId is not null)
            .DistinctBy(r => r.TeamId ?? r.ConversationId, StringComparer.Ordinal)
            .ToList();
        if (teams.Count == 0 || await rosters.FindAsync(personObjectId, teams, connector, cancellationToken) is not var (teamsUserId, team))
        {
            return null;
        }

        var created = await connector.CreateConversationAsync(team.ServiceUrl, new ConversationParameters
        {
            IsGroup = false,
            Bot = team.BotId is null ? null : new ChannelAccount { Id = team.BotId },
            Members = [new ChannelAccount { Id = teamsUserId }],
            TenantId = team.TenantId,
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo(team.TenantId) },
        }, cancellationToken);
        if (!created.Succeeded || created.Id is not { Length: > 0 } conversationId)
        {
            LogCreateRefused(logger, created.StatusCode);
            return null;
        }

        var reference = new ConversationReferenceRecord
        {
            ConversationId = conversationId,
            ConversationType = ConversationTypes.Personal,
            UserObjectId = personObjectId,
            UserId = teamsUserId,
            TenantId = team.TenantId,
            ServiceUrl = team.ServiceUrl,
            ChannelId = team.ChannelId,
            BotId = team.BotId,
            UpdatedAt = time.GetUtcNow(),
        };
        await references.UpsertAsync(reference, cancellationToken);
        return reference.ToReference();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams refused to create a 1:1 conversation ({Status}); the app is probably not installed for the person")]
    private static partial void LogCreateRefused(ILogger logger, int? status);
}
