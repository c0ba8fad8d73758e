using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Messaging;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary><c>export compliance</c> (admins).</summary>
public sealed class ExportComplianceCommand(ExportLinks links, IOptions<ExportOptions> options, AuditTrail audit, Messenger messenger) : ExportCommand(ExportKind.Compliance, links, options, audit, messenger), IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.ExportCompliance, CommandNames.ExportCompliance, "Admins: download every app's compliance as CSV (a single-use link, sent to your personal chat); scoped admins get their apps only.", AdminOnly: true, ScopedAdmins: true);
}
