using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Cards;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>A dialog answer: <c>continue</c> with a card, or <c>message</c>.</summary>
/// <param name="Task">The answer.</param>
public sealed record TaskModuleResponse([property: JsonPropertyName("task")] TaskModuleResponseBody Task)
{
    /// <summary>Open (or continue) a dialog with a card.</summary>
    public static TaskModuleResponse Continue(string title, AdaptiveCard card, string height = "medium", string width = "medium") =>
        new(new TaskModuleResponseBody("continue", JsonSerializer.SerializeToElement(
            new TaskModuleTaskInfo(title, height, width, Schema.Attachment.ForCard(card)), BotJsonContext.Default.TaskModuleTaskInfo)));

    /// <summary>Close the dialog with a message.</summary>
    public static TaskModuleResponse Message(string text) =>
        new(new TaskModuleResponseBody("message", JsonSerializer.SerializeToElement(text, BotJsonContext.Default.String)));
}
