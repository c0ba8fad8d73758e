using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Invokes;

namespace CredentialBot.Shared.Dialogs;

/// <summary>The <c>msteams</c> marker that makes an Action.Submit open a dialog (<c>task/fetch</c>).</summary>
public sealed record TaskFetchMarker([property: JsonPropertyName("type")] string Type)
{
    public static TaskFetchMarker Instance { get; } = new(InvokeNames.TaskFetch);
}
