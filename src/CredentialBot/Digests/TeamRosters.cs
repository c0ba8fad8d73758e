using System.Collections.Concurrent;
using CredentialBot.BotFramework.Connector;
using CredentialBot.Store.Entities;

namespace CredentialBot.Digests;

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

        await _loading.WaitAsync(cancellationToken);
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
                    var page = await connector.GetPagedMembersAsync(team.ServiceUrl, key, continuation, cancellationToken);
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
