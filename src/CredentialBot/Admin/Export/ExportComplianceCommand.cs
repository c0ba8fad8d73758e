using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Commands;
using Microsoft.Extensions.Options;

namespace CredentialBot.Admin.Export;

/// <summary><c>export compliance</c> (admins).</summary>
public sealed class ExportComplianceCommand(ExportLinks links, IOptions<ExportOptions> options, AuditTrail audit) : ExportCommand(ExportKind.Compliance, links, options, audit), IBotCommand
{
    public static CommandInfo Info { get; } = new(CommandNames.ExportCompliance, CommandNames.ExportCompliance, "Admins: download every app's compliance as CSV (a link valid for minutes).", AdminOnly: true);
}
