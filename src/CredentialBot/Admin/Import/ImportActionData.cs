using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Routing;

namespace CredentialBot.Admin.Import;

/// <summary>Data of "Import N owners": the CSV itself, validated again (and the sender checked) on confirm.</summary>
/// <param name="Csv">The CSV the preview showed.</param>
public sealed record ImportActionData([property: JsonPropertyName("csv")] string Csv) : IWellFormed
{
    public bool IsWellFormed() => Csv is { Length: > 0 and <= ImportOwnersCommand.MaxInlineCsvBytes };
}
