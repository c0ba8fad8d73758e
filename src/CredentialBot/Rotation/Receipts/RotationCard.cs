using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Messaging;

namespace CredentialBot.Rotation.Receipts;

/// <summary>Where a rotation dialog was opened from, kept with the receipt so that card can be redrawn when the new credential is first used.</summary>
public static class RotationCard
{
    public static PostedCard? Of(DialogRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var activity = request.Turn.Activity;
        return request.OriginCard is { } origin && activity.ServiceUrl is { Length: > 0 } serviceUrl && activity.Conversation?.Id is { Length: > 0 } conversation
            ? new PostedCard(serviceUrl, conversation, origin)
            : null;
    }

    public static string? Serialize(PostedCard? card) => card is null ? null : Messenger.Serialize([card]);
}
