using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Services;

/// <summary>Where the bot can reach people and channels proactively.</summary>
public sealed class ConversationReferenceStore(CredentialBotDbContext db)
{
    /// <summary>Inserts or refreshes a reference (serviceUrl can change); true when it was new.</summary>
    public async Task<bool> UpsertAsync(ConversationReferenceRecord reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var existing = await db.ConversationReferences.FirstOrDefaultAsync(r => r.ConversationId == reference.ConversationId, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            db.ConversationReferences.Add(reference);
            try
            {
                await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (DbUpdateException)
            {
                // Two install events raced; the other one stored it first, so this one is not new.
                db.ChangeTracker.Clear();
                return false;
            }
        }

        existing.ConversationType = reference.ConversationType;
        existing.UserObjectId = reference.UserObjectId ?? existing.UserObjectId;
        existing.UserId = reference.UserId ?? existing.UserId;
        existing.TenantId = reference.TenantId ?? existing.TenantId;
        existing.ServiceUrl = reference.ServiceUrl;
        existing.ChannelId = reference.ChannelId;
        existing.BotId = reference.BotId ?? existing.BotId;
        existing.TeamId = reference.TeamId ?? existing.TeamId;
        existing.ChannelName = reference.ChannelName ?? existing.ChannelName;
        existing.UpdatedAt = reference.UpdatedAt;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>The personal conversation with a person, by Entra object id.</summary>
    public Task<ConversationReferenceRecord?> FindPersonalAsync(string userObjectId, CancellationToken cancellationToken = default) =>
        db.ConversationReferences.AsNoTracking()
            .Where(r => r.UserObjectId == userObjectId && r.ConversationType == "personal")
            .OrderByDescending(r => r.UpdatedAt)
            .FirstOrDefaultAsync(cancellationToken);

    /// <summary>Every channel the bot is in.</summary>
    public async Task<IReadOnlyList<ConversationReferenceRecord>> ListChannelsAsync(CancellationToken cancellationToken = default) =>
        await db.ConversationReferences.AsNoTracking().Where(r => r.ConversationType == "channel").ToListAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Forgets a conversation (uninstall, or the Connector said it is gone).</summary>
    public Task<int> RemoveAsync(string conversationId, CancellationToken cancellationToken = default) =>
        db.ConversationReferences.Where(r => r.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
}
