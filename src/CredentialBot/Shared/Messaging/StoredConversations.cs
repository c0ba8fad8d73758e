using CredentialBot.BotFramework.Schema;
using CredentialBot.Store.Entities;

namespace CredentialBot.Shared.Messaging;

/// <summary>Turns the store's conversation rows into the protocol's references, so entities stay at the store's edge.</summary>
public static class StoredConversations
{
    public static ConversationReference ToReference(this ConversationReferenceRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new ConversationReference(stored.ServiceUrl, stored.ChannelId, stored.ConversationId, stored.ConversationType, stored.TenantId, stored.BotId, stored.UserId, stored.UserObjectId);
    }
}
