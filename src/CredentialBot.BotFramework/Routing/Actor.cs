using CredentialBot.BotFramework.Schema;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// Who sent an activity, taken only from the authenticated activity's <c>from</c>, never from message text or card
/// data.
/// </summary>
/// <param name="ObjectId">The sender's Entra object id (<c>from.aadObjectId</c>); null when Teams did not say.</param>
/// <param name="DisplayName">The sender's display name, as Teams shows it.</param>
/// <param name="ChannelUserId">The sender's per-bot Teams id (<c>29:…</c>).</param>
public sealed record Actor(string? ObjectId, string? DisplayName, string ChannelUserId)
{
    /// <summary>The sender of <paramref name="activity"/>.</summary>
    public static Actor Of(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return new Actor(activity.From?.AadObjectId, activity.From?.Name, activity.From?.Id ?? string.Empty);
    }
}
