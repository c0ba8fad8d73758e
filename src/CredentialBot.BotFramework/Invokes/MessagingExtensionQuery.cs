using System.Text.Json;
using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Invokes;

/// <summary>The <c>value</c> of a message-extension query.</summary>
/// <param name="CommandId">The manifest's command id; the router keys on it.</param>
/// <param name="Parameters">The parameters, named after the manifest's; Teams adds <c>initialRun</c> on open.</param>
/// <param name="QueryOptions">Paging.</param>
public sealed record MessagingExtensionQuery(
    [property: JsonPropertyName("commandId")] string? CommandId,
    [property: JsonPropertyName("parameters")] IReadOnlyList<MessagingExtensionParameter>? Parameters,
    [property: JsonPropertyName("queryOptions")] MessagingExtensionQueryOptions? QueryOptions)
{
    /// <summary>Teams' parameter that only says the search box was just opened.</summary>
    public const string InitialRunParameter = "initialRun";

    /// <summary>
    /// What the person typed: the first text parameter other than <see cref="InitialRunParameter"/> (Teams names it after
    /// the manifest's parameter), trimmed; null when there is none or it is empty.
    /// </summary>
    public string? SearchText() =>
        Parameters?
            .Where(p => p.Name is { } name && name != InitialRunParameter && p.Value is { ValueKind: JsonValueKind.String })
            .Select(p => p.Value!.Value.GetString()?.Trim())
            .FirstOrDefault(text => text is { Length: > 0 });
}
