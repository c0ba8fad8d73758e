using CredentialBot.Domain;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Ownership;

/// <summary>
/// Tells a person they were just made an owner (in chat, by approval, by a transfer or a CSV import): one card to
/// their 1:1 chat. Nobody is told about making themselves an owner; a person the bot cannot reach yet sees the app in
/// "my apps" and in their digests once they install it.
/// </summary>
public sealed partial class NewOwnerNotices(Messenger messenger, ILogger<NewOwnerNotices> logger)
{
    public async Task TellAsync(App app, OwnerKind kind, string personObjectId, bool manageCredentials, Principal by, string how, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(by);
        if (string.Equals(by.ObjectId, personObjectId, StringComparison.Ordinal))
        {
            return;
        }

        var card = NewOwnerCard.Build(app, kind, manageCredentials, by.DisplayName, how);
        if (await messenger.SendToPersonAsync(personObjectId, card, $"You are now an owner of {app.DisplayName}", cancellationToken) is null)
        {
            LogUnreachable(logger, personObjectId, app.ObjectId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "New owner {Person} of {App} has no chat with the bot yet; not told")]
    private static partial void LogUnreachable(ILogger logger, string person, string app);
}
