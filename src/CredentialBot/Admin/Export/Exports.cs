using System.Globalization;
using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CsvHelper;

namespace CredentialBot.Admin.Export;

/// <summary>
/// CSV exports of the audit trail and of per-app compliance, written as they are read (nothing is held in memory).
/// Text a person typed (reasons, names) is escaped against spreadsheet formula injection.
/// </summary>
public sealed class Exports(AuditLog audit, ComplianceReport compliance, TimeProvider time)
{
    public static readonly string[] AuditColumns = ["sequence", "at", "actorObjectId", "actorName", "appObjectId", "operation", "outcome", "reason", "ticket", "hash"];
    public static readonly string[] ComplianceColumns = ["objectId", "appId", "displayName", "kind", "policy", "compliant", "findings", "nearestExpiry", "entraOwners", "technicalOwners", "businessOwners"];

    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public async Task<long> WriteAsync(ExportKind kind, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        return kind == ExportKind.Audit
            ? await WriteAuditAsync(csv, cancellationToken)
            : await WriteComplianceAsync(csv, cancellationToken);
    }

    private async Task<long> WriteAuditAsync(CsvWriter csv, CancellationToken cancellationToken)
    {
        csv.WriteHeader(AuditColumns);
        long rows = 0;
        await foreach (var (sequence, e, hash) in audit.StreamAsync().WithCancellation(cancellationToken))
        {
            csv.WriteRecord([sequence.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), e.ActorObjectId, e.ActorName ?? string.Empty, e.AppObjectId ?? string.Empty, e.Operation, e.Outcome, e.Reason ?? string.Empty, e.Ticket ?? string.Empty, hash]);
            rows++;
        }

        return rows;
    }

    private async Task<long> WriteComplianceAsync(CsvWriter csv, CancellationToken cancellationToken)
    {
        csv.WriteHeader(ComplianceColumns);
        var now = time.GetUtcNow();
        long rows = 0;
        await foreach (var (app, policy, findings) in compliance.EvaluateAllAsync(cancellationToken))
        {
            csv.WriteRecord(
            [
                app.ObjectId, app.AppId, app.DisplayName, app.Kind == AppKind.Application ? "application" : "servicePrincipal", policy.Name,
                findings.Count == 0 ? "true" : "false",
                string.Join(" | ", findings.Select(f => f.Describe(now))),
                app.NearestExpiry?.EndsAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                Owners(app, OwnerKind.Entra), Owners(app, OwnerKind.Technical), Owners(app, OwnerKind.Business),
            ]);
            rows++;
        }

        return rows;
    }

    private static string Owners(App app, OwnerKind kind) => string.Join("; ", app.OwnersOf(kind).Select(o => o.UserPrincipalName ?? o.DisplayName));
}
