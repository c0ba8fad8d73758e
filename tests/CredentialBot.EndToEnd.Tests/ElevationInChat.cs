using System.Text.Json;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>A person asking for elevation from chat, and the approval cards it sends, as the tests about approvers read them.</summary>
internal static class ElevationInChat
{
    /// <summary>Alex asks to rotate <paramref name="app"/>'s credentials; returns the text of the answer to the form.</summary>
    public static async Task<string> RequestAsync(this BotHost bot, string app)
    {
        var before = bot.Connector.Calls.Count;
        await bot.SendMessageAsync($"elevate {app}");
        var form = (await bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        var answer = await bot.ExecuteAsync("dialog", Submit(form, "Send for approval", [("justification", "Rotate before Friday's release")])["data"]!, BotHost.Alex, "Alex Wilber");
        return AllText(answer.GetProperty("value"));
    }

    /// <summary>The last approval card sent 1:1 to <paramref name="person"/>, if any.</summary>
    public static JsonElement? ApprovalCardFor(this BotHost bot, string person) =>
        bot.Connector.Calls.LastOrDefault(c => c.Method == "POST" && c.ConversationId == $"a:personal-{person}" && c.Cards.Count > 0 && HasButton(c.Cards[0], "Approve")) is { } call
            ? call.Cards[0]
            : null;
}
