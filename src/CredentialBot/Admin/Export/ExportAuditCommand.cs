using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Commands;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary><c>export audit</c> (admins).</summary>
public sealed class ExportAuditCommand(ExportLinks links, IOptions<ExportOptions> options, AuditTrail audit) : ExportCommand(ExportKind.Audit, links, options, audit), IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.ExportAudit, CommandNames.ExportAudit, "Admins: download the whole audit trail as CSV (a link valid for minutes).", AdminOnly: true);
}
