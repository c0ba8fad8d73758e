using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Where the bot can reach people and channels proactively.</summary>
public sealed class ConversationReferenceStore(CredentialBotDbContext db)
{
    // Compiled once: every card sent to a person or redrawn in a conversation looks its reference up first.
    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, string, CancellationToken, Task<ConversationReferenceRecord?>>> PersonalOf = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, string userObjectId, CancellationToken _) =>
            context.ConversationReferences.AsNoTracking()
                .Where(r => r.UserObjectId == userObjectId && r.ConversationType == "personal")
                .OrderByDescending(r => r.UpdatedAt)
                .FirstOrDefault()));

    private static readonly CompiledQueryCache<Func<CredentialBotDbContext, string, CancellationToken, Task<ConversationReferenceRecord?>>> ById = new(() =>
        EF.CompileAsyncQuery((CredentialBotDbContext context, string conversationId, CancellationToken _) =>
            context.ConversationReferences.AsNoTracking().FirstOrDefault(r => r.ConversationId == conversationId)));

    /// <summary>
    /// Inserts or refreshes a reference (serviceUrl can change); true when it was new. Teams sends installationUpdate
    /// and conversationUpdate for one install at the same moment, so the insert is a single
    /// <c>INSERT … ON CONFLICT DO NOTHING</c> (same SQL on SQLite and PostgreSQL): exactly one of them creates the row,
    /// and neither fails. The refresh is one <c>UPDATE</c> too, never a tracked row: a row this context read before
    /// someone else changed it would compare against stale values and skip the columns that look unchanged.
    /// </summary>
    public async Task<bool> UpsertAsync(ConversationReferenceRecord reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var r = reference;
        // An uninstall can delete the row between the two statements; the next round inserts it again.
        while (true)
        {
            var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO "ConversationReferences"
                    ("ConversationId", "ConversationType", "UserObjectId", "UserId", "TenantId", "ServiceUrl", "ChannelId", "BotId", "TeamId", "ChannelName", "UpdatedAt")
                VALUES ({r.ConversationId}, {r.ConversationType}, {r.UserObjectId}, {r.UserId}, {r.TenantId}, {r.ServiceUrl}, {r.ChannelId}, {r.BotId}, {r.TeamId}, {r.ChannelName}, {r.UpdatedAt.UtcTicks})
                ON CONFLICT ("ConversationId") DO NOTHING
                """,
                cancellationToken).ConfigureAwait(false);
            if (inserted == 1)
            {
                return true;
            }

            var refreshed = await db.ConversationReferences.Where(x => x.ConversationId == r.ConversationId).ExecuteUpdateAsync(
                set => set
                    .SetProperty(x => x.ConversationType, r.ConversationType)
                    .SetProperty(x => x.UserObjectId, x => r.UserObjectId ?? x.UserObjectId)
                    .SetProperty(x => x.UserId, x => r.UserId ?? x.UserId)
                    .SetProperty(x => x.TenantId, x => r.TenantId ?? x.TenantId)
                    .SetProperty(x => x.ServiceUrl, r.ServiceUrl)
                    .SetProperty(x => x.ChannelId, r.ChannelId)
                    .SetProperty(x => x.BotId, x => r.BotId ?? x.BotId)
                    .SetProperty(x => x.TeamId, x => r.TeamId ?? x.TeamId)
                    .SetProperty(x => x.ChannelName, x => r.ChannelName ?? x.ChannelName)
                    .SetProperty(x => x.UpdatedAt, r.UpdatedAt),
                cancellationToken).ConfigureAwait(false);
            if (refreshed == 1)
            {
                return false;
            }
        }
    }

    /// <summary>The personal conversation with a person, by Entra object id.</summary>
    public Task<ConversationReferenceRecord?> FindPersonalAsync(string userObjectId, CancellationToken cancellationToken = default) =>
        PersonalOf.For(db)(db, userObjectId, cancellationToken);

    /// <summary>
    /// The Teams user id of each of <paramref name="userObjectIds"/> who has a personal conversation with the bot, from
    /// the same conversation <see cref="FindPersonalAsync"/> gives (the latest); people without one, or whose latest one
    /// has no user id, are left out. One statement for all of them.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> PersonalUserIdsAsync(IReadOnlyCollection<string> userObjectIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userObjectIds);
        var people = userObjectIds.ToList();
        if (people.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        var rows = await db.ConversationReferences.AsNoTracking()
            .Where(r => r.ConversationType == "personal" && EF.Parameter(people).Contains(r.UserObjectId!))
            .Select(r => new { UserObjectId = r.UserObjectId!, r.UserId, r.UpdatedAt })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var latest = new Dictionary<string, (string? UserId, DateTimeOffset UpdatedAt)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!latest.TryGetValue(row.UserObjectId, out var seen) || row.UpdatedAt > seen.UpdatedAt)
            {
                latest[row.UserObjectId] = (row.UserId, row.UpdatedAt);
            }
        }

        return latest.Where(l => l.Value.UserId is not null).ToDictionary(l => l.Key, l => l.Value.UserId!, StringComparer.Ordinal);
    }

    /// <summary>A reference by conversation id, or null.</summary>
    public Task<ConversationReferenceRecord?> FindAsync(string conversationId, CancellationToken cancellationToken = default) =>
        ById.For(db)(db, conversationId, cancellationToken);

    /// <summary>Every channel the bot is in.</summary>
    public async Task<IReadOnlyList<ConversationReferenceRecord>> ListChannelsAsync(CancellationToken cancellationToken = default) =>
        await db.ConversationReferences.AsNoTracking().Where(r => r.ConversationType == "channel").ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Forgets a conversation (uninstall, or the Connector said it is gone).</summary>
    public Task<int> RemoveAsync(string conversationId, CancellationToken cancellationToken = default) =>
        db.ConversationReferences.Where(r => r.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
}
