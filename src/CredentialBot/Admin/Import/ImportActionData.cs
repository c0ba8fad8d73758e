using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Admin.Import;

/// <summary>Data of "Import N owners": the CSV itself, validated again (and the sender checked) on confirm.</summary>
/// <param name="Csv">The CSV the preview showed.</param>
/// <param name="Confirm">The preview's one-time confirm id: the first press imports, any later press changes nothing.</param>
public sealed record ImportActionData([property: JsonPropertyName("csv")] string Csv, [property: JsonPropertyName("confirm")] string? Confirm = null) : IWellFormed
{
    public bool IsWellFormed() => Csv is { Length: > 0 and <= ImportOwnersCommand.MaxInlineCsvBytes } && Confirm is { Length: > 0 and <= 64 };
}
