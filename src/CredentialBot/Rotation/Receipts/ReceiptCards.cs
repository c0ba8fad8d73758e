using System.Globalization;
using System.Text.Json;
using CredentialBot.BotFramework.Cards;
using CredentialBot.Domain;
using CredentialBot.Shared.Cards;
using CredentialBot.Store.Services;

namespace CredentialBot.Rotation.Receipts;

/// <summary>Cards of rotation receipts: the new credential's first use, and the question about an old one still used.</summary>
public static class ReceiptCards
{
    /// <summary>The banner on the rotation's redrawn card.</summary>
    public static string FirstUsedBanner(string? credentialName, DateTimeOffset firstUsedAt) =>
        $"Receipt: the new credential {CardText.Literal(credentialName ?? "from the rotation", 60)} was first used at {CardText.DateTime(firstUsedAt)}, so whatever uses this app has picked it up.";

    /// <summary>The card sent to the rotating person when the rotation's card cannot be redrawn.</summary>
    public static AdaptiveCard FirstUsed(App app, string? credentialName, DateTimeOffset rotatedAt, DateTimeOffset firstUsedAt)
    {
        ArgumentNullException.ThrowIfNull(app);
        return CardParts.Card(
            [
                CardParts.Heading($"Rotation receipt: {CardText.Literal(app.DisplayName, 80)}"),
                CardParts.Text($"The credential you added at {CardText.DateTime(rotatedAt)} ({CardText.Literal(credentialName ?? "unnamed", 60)}) was first used at {CardText.DateTime(firstUsedAt)}: whatever uses this app has picked it up.", Urgency.Healthy),
            ],
            [CardParts.OpenUrl("Open in Entra", CardText.EntraPortalLink(app))]);
    }

    /// <summary>
    /// The question to an owner when an old credential's removal is due but it was used <paramref name="lastUsedAt"/>:
    /// remove it anyway, or keep it <paramref name="keepDays"/> more days (the janitor then looks again).
    /// </summary>
    public static AdaptiveCard StillUsed(App app, SecretRemoval removal, DateTimeOffset lastUsedAt, DateTimeOffset now, int keepDays, string confirmId)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(removal);
        var name = CardText.Literal(removal.CredentialName ?? removal.KeyId, 60);
        var data = JsonSerializer.SerializeToElement(new StillUsedDecisionData(app.ObjectId, removal.KeyId, confirmId), CardDataJson.Default.StillUsedDecisionData);
        return CardParts.Card(
            [
                CardParts.Heading($"Still in use: {name} of {CardText.Literal(app.DisplayName, 80)}"),
                CardParts.Text($"{name} was replaced by {CardText.Literal(removal.RequestedByName ?? "an owner", 60)}'s rotation and was due for removal on {CardText.Date(removal.DueAt)}, but Entra's sign-in reports say it was still used {Ago(now - lastUsedAt)} ({CardText.DateTime(lastUsedAt)}). Removing it now may break whatever still uses it, so its removal waits for you.", Urgency.Warning),
                CardParts.Facts(("Credential", name), ("Key id", removal.KeyId), ("Last used", CardText.DateTime(lastUsedAt))),
            ],
            [
                new ActionExecute { Title = "Remove anyway", Verb = CardVerbs.RemoveOldAnyway, Style = "destructive", Data = data },
                new ActionExecute { Title = $"Keep {keepDays.ToString(CultureInfo.InvariantCulture)} more days", Verb = CardVerbs.KeepOldLonger, Data = data },
            ]);
    }

    /// <summary>"2 h ago", "15 min ago", "3 days ago": how long since a use, for people.</summary>
    public static string Ago(TimeSpan since) => since switch
    {
        { TotalMinutes: < 1 } => "just now",
        { TotalHours: < 1 } => $"{(int)since.TotalMinutes} min ago",
        { TotalDays: < 2 } => $"{(int)since.TotalHours} h ago",
        _ => $"{(int)since.TotalDays} days ago",
    };
}
