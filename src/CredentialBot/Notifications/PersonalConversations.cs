using System.Collections.Concurrent;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Schema;

namespace CredentialBot.Notifications;

/// <summary>
/// Who is in the teams the bot is in: Entra object id → Teams user id (29:…) and the team's reference, read a page
/// of 500 at a time and kept for an hour. Reading whole rosters costs one call per 500 people, where asking per
/// person would hit Teams' per-conversation limit on member calls long before the send limit.
/// </summary>
public sealed class TeamRosters(TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (string TeamsUserId, ConversationReferenceRecord Team)> _people = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _loaded = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);

    public async Task<(string TeamsUserId, ConversationReferenceRecord Team)?> FindAsync(string personObjectId, IReadOnlyList<ConversationReferenceRecord> teams, IConnectorClient connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(teams);
        ArgumentNullException.ThrowIfNull(connector);
        if (_people.TryGetValue(personObjectId, out var known))
        {
            return known;
        }

        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var team in teams)
            {
                var key = team.TeamId ?? team.ConversationId;
                if (_loaded.TryGetValue(key, out var at) && time.GetUtcNow() - at < Lifetime)
                {
                    continue;
                }

                string? continuation = null;
                do
                {
                    var page = await connector.GetPagedMembersAsync(team.ServiceUrl, key, continuation, cancellationToken).ConfigureAwait(false);
                    foreach (var member in page?.Members ?? [])
                    {
                        if ((member.ObjectId ?? member.AadObjectId) is { Length: > 0 } objectId && member.Id is { } id && id.StartsWith("29:", StringComparison.Ordinal))
                        {
                            _people[objectId] = (id, team);
                        }
                    }

                    continuation = page?.ContinuationToken;
                }
                while (continuation is { Length: > 0 });

                _loaded[key] = time.GetUtcNow();
            }
        }
        finally
        {
            _loading.Release();
        }

        return _people.TryGetValue(personObjectId, out var found) ? found : null;
    }

    public void Dispose() => _loading.Dispose();
}

/// <summary>
/// Finds a person's 1:1 conversation with the bot, or creates it: the person's Teams id comes from the roster of a
/// team the bot is in (<see cref="TeamRosters"/>), and Teams only creates the conversation when the app is installed
/// for the person. The new conversation is stored like one from an install.
/// </summary>
public sealed partial class PersonalConversations(ConversationReferenceStore references, IConnectorClient connector, TeamRosters rosters, TimeProvider time, ILogger<PersonalConversations> logger)
{
    public async Task<ConversationReferenceRecord?> FindOrCreateAsync(string personObjectId, CancellationToken cancellationToken)
    {
        if (await references.FindPersonalAsync(personObjectId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        var teams = (await references.ListChannelsAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => r.TenantId is not null)
            .DistinctBy(r => r.TeamId ?? r.ConversationId, StringComparer.Ordinal)
            .ToList();
        if (teams.Count == 0 || await rosters.FindAsync(personObjectId, teams, connector, cancellationToken).ConfigureAwait(false) is not var (teamsUserId, team))
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
        return reference;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teams refused to create a 1:1 conversation ({Status}); the app is probably not installed for the person")]
    private static partial void LogCreateRefused(ILogger logger, int? status);
}
