using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>Dialog settings and content.</summary>
/// <param name="Title">The dialog's title.</param>
/// <param name="Height">small, medium, large or pixels.</param>
/// <param name="Width">small, medium, large or pixels.</param>
/// <param name="Card">The card shown in the dialog.</param>
public sealed record TaskModuleTaskInfo(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("height")] string Height,
    [property: JsonPropertyName("width")] string Width,
    [property: JsonPropertyName("card")] Schema.Attachment Card);
