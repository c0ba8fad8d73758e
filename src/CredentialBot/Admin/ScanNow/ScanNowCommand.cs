using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Admin.ScanNow;

/// <summary><c>scan now</c> (admins): one card that shows the scan's progress and then its result.</summary>
public sealed class ScanNowCommand(BackgroundScans scans, AuditTrail audit) : IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.ScanNow, CommandNames.ScanNow, "Admins: scan the tenant now; the card shows progress and the result.", AdminOnly: true);

    public async Task<CommandReply> ExecuteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var by = request.Who.DisplayName ?? "an admin";
        await audit.RecordAsync(request.Who, null, AuditOperation.ScanNow, AuditOutcome.Started, null, cancellationToken);
        return CommandReply.WithCard(ScanCard.Running(by, null)) with { AfterSent = card => scans.Start(card, by) };
    }
}
