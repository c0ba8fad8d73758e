using System.Text.Json.Serialization;

namespace CredentialBot.BotFramework.Schema;

/// <summary>
/// The content of a file attachment a person sends the bot in a personal chat
/// (<c>application/vnd.microsoft.teams.file.download.info</c>). The URL is untrusted: check where it points before
/// fetching it.
/// </summary>
/// <param name="DownloadUrl">A short-lived, pre-authorized download URL.</param>
/// <param name="UniqueId">The file's id.</param>
/// <param name="FileType">The file's extension, e.g. <c>csv</c>.</param>
public sealed record FileDownloadInfo(
    [property: JsonPropertyName("downloadUrl")] string? DownloadUrl,
    [property: JsonPropertyName("uniqueId")] string? UniqueId,
    [property: JsonPropertyName("fileType")] string? FileType)
{
    /// <summary>The attachment content type of a file sent to a bot.</summary>
    public const string ContentType = "application/vnd.microsoft.teams.file.download.info";
}
