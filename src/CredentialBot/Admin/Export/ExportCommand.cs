using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary><c>export audit</c> / <c>export compliance</c> (admins): a short-lived download link to the CSV, audited.</summary>
public abstract class ExportCommand(ExportKind kind, ExportLinks links, IOptions<ExportOptions> options, AuditTrail audit)
{
    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return CommandReply.WithText("Exports need Exports:PublicBaseUrl and Exports:SigningKey to be configured; the export CLI verbs work without them.");
        }

        var link = links.Create(kind, request.Who.ObjectId);
        await audit.RecordAsync(request.Who, null, ExportLinks.OperationOf(kind), AuditOutcome.LinkCreated, $"Valid for {settings.LinkLifetime.TotalMinutes:0} minutes", cancellationToken);
        return CommandReply.WithCard(CardParts.Card(
            [
                CardParts.Heading($"{kind} export"),
                CardParts.Text($"The link works for {settings.LinkLifetime.TotalMinutes:0} minutes, only for you as an admin, and every download is audited."),
            ],
            [CardParts.OpenUrl($"Download the {ExportLinks.Name(kind)} CSV", link)]));
    }
}
