using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary><c>export audit</c> (admins).</summary>
public sealed class ExportAuditCommand(ExportLinks links, IOptions<ExportOptions> options, AuditTrail audit, Messenger messenger) : ExportCommand(ExportKind.Audit, links, options, audit, messenger), IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.ExportAudit, CommandNames.ExportAudit, "Admins: download the whole audit trail as CSV (a single-use link, sent to your personal chat); scoped admins get their apps only.", AdminOnly: true, ScopedAdmins: true);
}
