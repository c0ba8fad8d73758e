using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CredentialBot.BotFramework.Schema;
using CredentialBot.Shared.Access.Scopes;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Import;

/// <summary>
/// <c>import owners</c> (admins): a CSV of technical and business owners, pasted after the command or sent as a file
/// in the personal chat. Every row is validated and every bad row reported with its line; a valid file gets a
/// preview with a confirm button, and the import is all or nothing. A scoped admin's rows naming Apps outside their
/// scopes are refused by line (and audited); the rest goes through the same preview and confirm.
/// </summary>
public sealed partial class ImportOwnersCommand(OwnerImport import, AdminScopeResolver scopes, IHttpClientFactory http, IOptions<ImportOptions> options, ILogger<ImportOwnersCommand> logger) : IBotCommand
{
    /// <summary>The largest CSV a confirm button can carry; bigger files go through the import-owners CLI verb.</summary>
    public const int MaxInlineCsvBytes = 16_000;

    public static CommandInfo Info { get; } = new(
        CommandNames.ImportOwners,
        $"{CommandNames.ImportOwners} *CSV pasted below, or a .csv file attached*",
        "Admins: import technical and business owners from CSV (app,kind,person,ManageCredentials), all or nothing.",
        AdminOnly: true,
        ScopedAdmins: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string csv;
        if (request.Attachments?.FirstOrDefault(a => a.ContentType == FileDownloadInfo.ContentType) is { } file)
        {
            var (text, problem) = await DownloadAsync(file, cancellationToken);
            if (text is null)
            {
                return CommandReply.WithText(problem!);
            }

            csv = text;
        }
        else
        {
            csv = PastedCsv(request.RawText);
        }

        if (csv.Length == 0)
        {
            return CommandReply.WithText("Paste the CSV after **import owners** (first line: app,kind,person,ManageCredentials), or send a .csv file with the message.");
        }

        var plan = await import.ValidateAsync(csv, cancellationToken, request.Who.IsAdmin ? null : await scopes.ScopesOfAsync(request.Who, cancellationToken));
        await import.AuditOutsideScopeAsync(plan, request.Who, cancellationToken);
        if (!plan.CanImport)
        {
            return CommandReply.WithCard(ImportCards.Problems(plan));
        }

        return Encoding.UTF8.GetByteCount(csv) > MaxInlineCsvBytes
            ? CommandReply.WithText($"All {plan.Rows.Count} rows are valid, but the file is too large to confirm from a card; run `CredentialBot import-owners FILE`.")
            : CommandReply.WithCard(ImportCards.Preview(plan, csv, CardParts.NewConfirmId()));
    }

    /// <summary>The text after "import owners", with the message's line breaks (Teams may send them as HTML).</summary>
    internal static string PastedCsv(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return string.Empty;
        }

        var text = LineBreakTags().Replace(raw, "\n");
        text = WebUtility.HtmlDecode(AnyTag().Replace(text, string.Empty)).Replace('\u00A0', ' ');
        var match = CommandPrefix().Match(text);
        return match.Success ? text[(match.Index + match.Length)..].Trim() : string.Empty;
    }

    private async Task<(string? Csv, string? Problem)> DownloadAsync(Attachment file, CancellationToken cancellationToken)
    {
        var url = file.ReadContent(BotFramework.BotJsonContext.Default.FileDownloadInfo)?.DownloadUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !IsAllowed(uri))
        {
            return (null, "That file cannot be downloaded from where Teams says it is; send it again from the personal chat, or paste the CSV.");
        }

        if (file.Name is { } name && !name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"'{CardText.Literal(name, 80)}' is not a .csv file.");
        }

        using var client = http.CreateClient(nameof(ImportOwnersCommand));
        try
        {
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return (null, $"The file could not be downloaded ({(int)response.StatusCode}); send it again. Nothing was imported.");
            }

            if (response.Content.Headers.ContentLength > options.Value.MaxFileBytes)
            {
                return (null, $"The file is larger than {options.Value.MaxFileBytes / 1000} KB; split it or use the import-owners CLI verb.");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return bytes.Length > options.Value.MaxFileBytes
                ? (null, $"The file is larger than {options.Value.MaxFileBytes / 1000} KB; split it or use the import-owners CLI verb.")
                : (Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'), null);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The host is allowed but the download broke (refused, reset, cut short, timed out): the admin is told, and
            // nothing was read, so nothing can be imported from it.
            LogDownloadFailed(logger, uri.Host, ex.GetType().Name);
            return (null, "The file could not be downloaded (the connection failed or was cut short); send it again, or paste the CSV. Nothing was imported.");
        }
    }

    private bool IsAllowed(Uri uri) =>
        (uri.Scheme == Uri.UriSchemeHttps || (uri.IsLoopback && uri.Scheme == Uri.UriSchemeHttp && options.Value.AllowedDownloadHosts.Contains(uri.Host)))
        && options.Value.AllowedDownloadHosts.Any(h => h.StartsWith("*.", StringComparison.Ordinal)
            ? uri.Host.EndsWith(h[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(uri.Host, h, StringComparison.OrdinalIgnoreCase));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Downloading an owners CSV from {Host} failed: {Failure}")]
    private static partial void LogDownloadFailed(ILogger logger, string host, string failure);

    [GeneratedRegex(@"<br\s*/?>|</p>|</div>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreakTags();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex AnyTag();

    [GeneratedRegex(@"import\s+owners", RegexOptions.IgnoreCase)]
    private static partial Regex CommandPrefix();
}
