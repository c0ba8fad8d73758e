using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary>
/// <c>export audit</c> / <c>export compliance</c> (admins): a short-lived, single-use download link to the CSV, audited.
/// A link is a bearer token, so it is posted only in the admin's personal chat with the bot: asked in a channel or a
/// group chat, the link goes to that personal chat and the thread is told so, or, without one, nothing is made and the
/// thread is told where to ask.
/// </summary>
public abstract class ExportCommand(ExportKind kind, ExportLinks links, IOptions<ExportOptions> options, AuditTrail audit, Messenger messenger)
{
    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return CommandReply.WithText("Exports need Exports:PublicBaseUrl and Exports:SigningKey to be configured; the export CLI verbs work without them.");
        }

        var operation = ExportLinks.OperationOf(kind);
        var minutes = $"{settings.LinkLifetime.TotalMinutes:0}";
        var card = CardParts.Card(
            [
                CardParts.Heading($"{kind} export"),
                CardParts.Text($"The link downloads the CSV once, within {minutes} minutes. Whoever holds it can use it, so it is posted only here, in your personal chat; every download, and every refused one, is audited."),
            ],
            [CardParts.OpenUrl($"Download the {ExportLinks.Name(kind)} CSV", links.Create(kind, request.Who.ObjectId))]);
        if (request.ConversationType == "personal")
        {
            await audit.RecordAsync(request.Who, null, operation, AuditOutcome.LinkCreated, $"Valid once for {minutes} minutes", cancellationToken);
            return CommandReply.WithCard(card);
        }

        // Anywhere else, others read the thread: the link goes only to the admin's personal chat.
        if (await messenger.SendToPersonAsync(request.Who.ObjectId, card, $"{kind} export link", cancellationToken) is null)
        {
            await audit.RefusedAsync(request.Who, null, operation, $"Asked in a {request.ConversationType ?? "shared"} conversation, and there is no personal chat to send the link to", cancellationToken);
            return CommandReply.WithText($"Export links are sent only to your personal chat with CredentialBot, and I have none with you yet: open CredentialBot in Teams, then ask **{(kind == ExportKind.Audit ? CommandNames.ExportAudit : CommandNames.ExportCompliance)}** there. No link was sent anywhere.");
        }

        await audit.RecordAsync(request.Who, null, operation, AuditOutcome.LinkCreated, $"Valid once for {minutes} minutes; sent to the personal chat (asked in a {request.ConversationType ?? "shared"} conversation)", cancellationToken);
        return CommandReply.WithText("I sent the download link to your personal chat with me; export links are never posted where others can see them.");
    }
}
