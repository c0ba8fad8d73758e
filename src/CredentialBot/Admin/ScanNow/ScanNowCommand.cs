using CredentialBot.Admin.Scopes;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Admin.ScanNow;

/// <summary>
/// <c>scan now</c> (admins): one card that shows the scan's progress and then its result. A scan reads the whole tenant
/// through Graph and plans every App's notices, so only a global admin starts one: a scoped admin who asks is told so
/// (audited as refused) and gets the report of their scope as the last scan left it.
/// </summary>
public sealed class ScanNowCommand(BackgroundScans scans, AuditTrail audit, ScopedCompliance scoped) : IBotCommand
{
    public const string ScopedAnswer = "A scan reads the whole tenant, so only global admins start one. Here are your apps as the last scan left them.";

    public static CommandInfo Info { get; } = new(CommandNames.ScanNow, CommandNames.ScanNow, "Admins: scan the tenant now; the card shows progress and the result.", AdminOnly: true, ScopedAdmins: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Who.IsAdmin)
        {
            await audit.RefusedAsync(request.Who, null, AuditOperation.ScanNow, "A scoped admin does not start a tenant-wide scan; shown the last scan's report of their scope", cancellationToken);
            return CommandReply.WithCard(await scoped.CardAsync(request.Who, cancellationToken, ScopedAnswer));
        }

        var by = request.Who.DisplayName ?? "an admin";
        await audit.RecordAsync(request.Who, null, AuditOperation.ScanNow, AuditOutcome.Started, null, cancellationToken);
        return CommandReply.WithCard(ScanCard.Running(by, null)) with { AfterSent = card => scans.Start(card, by) };
    }
}
