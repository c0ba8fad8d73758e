using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.Notifications;

/// <summary>
/// Finds a person's 1:1 conversation with the bot, or creates it. Creating needs the person's Teams id (29:…), which
/// Teams gives for members of a team the bot is in: each stored team is asked for the member by Entra object id, and
/// the first that knows them is used to create the conversation (Teams only allows it when the app is installed for
/// the person). The new conversation is stored like one from an install.
/// </summary>
public sealed partial class PersonalConversations(ConversationReferenceStore references, IConnectorClient connector, TimeProvider time, ILogger<PersonalConversations> logger)
{
    /// <summary>Teams asked per person at most: each question is a connector call.</summary>
    private const int MaxTeamsAsked = 5;

    public async Task<ConversationReferenceRecord?> FindOrCreateAsync(string personObjectId, CancellationToken cancellationToken)
    {
        if (await references.FindPersonalAsync(personObjectId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var teams = (await references.ListChannelsAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.TenantId is not null)
            .DistinctBy(r => r.TeamId ?? r.ConversationId, StringComparer.Ordinal)
            .Take(MaxTeamsAsked);
        foreach (var team in teams)
        {
            var member = await connector.GetMemberAsync(team.ServiceUrl, team.TeamId ?? team.ConversationId, personObjectId, cancellationToken).ConfigureAwait(false);
            if (member?.Id is not { Length: > 0 } teamsUserId || !teamsUserId.StartsWith("29:", StringComparison.Ordinal))
            {
                continue;
            }

            var created = await connector.CreateConversationAsync(team.ServiceUrl, new ConversationParameters
            {
                IsGroup = false,
                Bot = team.BotId is null ? null : new ChannelAccount { Id = team.BotId },
                Members = [new ChannelAccount { Id = teamsUserId }],
                TenantId = team.TenantId,
                ChannelData = new TeamsChannelData { Tenant = new TenantInfo(team.TenantId) },
            }, cancellationToken).ConfigureAwait(false);
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
            await references.UpsertAsync(reference, cancellationToken).ConfigureAwait(false);
            LogCreated(logger);
            return reference;
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created a 1:1 conversation with a person found in a team roster")]
    private static partial void LogCreated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams refused to create a 1:1 conversation ({Status}); the app is probably not installed for the person")]
    private static partial void LogCreateRefused(ILogger logger, int? status);
}
