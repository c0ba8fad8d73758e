using System.Collections.Concurrent;
using CredentialBot.BotFramework.Connector;
using CredentialBot.Store.Entities;

namespace CredentialBot.Digests;

/// <summary>
/// Who is in the teams the bot is in: Entra object id → Teams user id and the team's reference, read a page of 500 at
/// a time and kept for an hour (or until the team's roster changes). Reading whole rosters costs one call per 500
/// people, where asking per person would hit Teams' per-conversation limit on member calls long before the send limit.
/// </summary>
public sealed class TeamRosters(TimeProvider time) : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, (string TeamsUserId, ConversationReferenceRecord Team)> _people = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _loaded = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>The team a roster is read from: its id, or the conversation's where Teams did not say.</summary>
    public static string KeyOf(ConversationReferenceRecord team)
    {
        ArgumentNullException.ThrowIfNull(team);
        return team.TeamId ?? team.ConversationId;
    }

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
                if (!_loaded.TryGetValue(KeyOf(team), out var at) || time.GetUtcNow() - at >= Lifetime)
                {
                    await LoadLockedAsync(team, connector, cancellationToken);
                }
            }
        }
        finally
        {
            _loading.Release();
        }

        return _people.TryGetValue(personObjectId, out var found) ? found : null;
    }

    /// <summary>Reads one team's roster now (it was just installed or changed); returns the Entra object ids in it.</summary>
    public async Task<IReadOnlySet<string>> ReloadAsync(ConversationReferenceRecord team, IConnectorClient connector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(team);
        ArgumentNullException.ThrowIfNull(connector);
        await _loading.WaitAsync(cancellationToken);
        try
        {
            return await LoadLockedAsync(team, connector, cancellationToken);
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private async Task<HashSet<string>> LoadLockedAsync(ConversationReferenceRecord team, IConnectorClient connector, CancellationToken cancellationToken)
    {
        var key = KeyOf(team);
        var members = new HashSet<string>(StringComparer.Ordinal);

        // Read afresh: someone who left the team is not found through it any more.
        foreach (var (objectId, known) in _people)
        {
            if (string.Equals(KeyOf(known.Team), key, StringComparison.Ordinal))
            {
                _people.TryRemove(objectId, out _);
            }
        }

        string? continuation = null;
        do
        {
            var page = await connector.GetPagedMembersAsync(team.ServiceUrl, key, continuation, cancellationToken);
            foreach (var member in page?.Members ?? [])
            {
                // People only: Teams user ids are "29:…" (the Agents Playground's are "user-id-N"); bots are "28:…".
                if ((member.ObjectId ?? member.AadObjectId) is { Length: > 0 } objectId && member.Id is { Length: > 0 } id
                    && !id.StartsWith("28:", StringComparison.Ordinal) && !string.Equals(id, team.BotId, StringComparison.Ordinal))
                {
                    _people[objectId] = (id, team);
                    members.Add(objectId);
                }
            }

            continuation = page?.ContinuationToken;
        }
        while (continuation is { Length: > 0 });

        _loaded[key] = time.GetUtcNow();
        return members;
    }
}
