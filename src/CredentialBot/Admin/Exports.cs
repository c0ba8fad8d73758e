using System.Globalization;
using CredentialBot.Domain;
using CsvHelper;

namespace CredentialBot.Admin;

/// <summary>What can be exported.</summary>
public enum ExportKind
{
    Audit,
    Compliance,
}

/// <summary>
/// CSV exports of the audit trail and of per-app compliance, written as they are read (nothing is held in memory).
/// Text a person typed (reasons, names) is escaped against spreadsheet formula injection.
/// </summary>
public sealed class Exports(AuditLog audit, AppCatalog catalog, PolicyStore policies, TimeProvider time)
{
    public static readonly string[] AuditColumns = ["sequence", "at", "actorObjectId", "actorName", "appObjectId", "operation", "outcome", "reason", "ticket", "hash"];
    public static readonly string[] ComplianceColumns = ["objectId", "appId", "displayName", "kind", "policy", "compliant", "findings", "nearestExpiry", "entraOwners", "technicalOwners", "businessOwners"];

    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public async Task<long> WriteAsync(ExportKind kind, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        return kind == ExportKind.Audit
            ? await WriteAuditAsync(csv, cancellationToken).ConfigureAwait(false)
            : await WriteComplianceAsync(csv, cancellationToken).ConfigureAwait(false);
    }

    private async Task<long> WriteAuditAsync(CsvWriter csv, CancellationToken cancellationToken)
    {
        csv.WriteHeader(AuditColumns);
        long rows = 0;
        await foreach (var (sequence, e, hash) in audit.StreamAsync().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            csv.WriteRecord([sequence.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), e.ActorObjectId, e.ActorName ?? string.Empty, e.AppObjectId ?? string.Empty, e.Operation, e.Outcome, e.Reason ?? string.Empty, e.Ticket ?? string.Empty, hash]);
            rows++;
        }

        return rows;
    }

    private async Task<long> WriteComplianceAsync(CsvWriter csv, CancellationToken cancellationToken)
    {
        csv.WriteHeader(ComplianceColumns);
        var policyFor = await policies.GetResolverAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        long rows = 0;
        string? after = null;
        while (true)
        {
            var page = await catalog.ListPageAsync(after, 1_000, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var app in page)
            {
                var policy = policyFor(app);
                var findings = PolicyEvaluator.Evaluate(app, policy, now);
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

            if (page.Count < 1_000)
            {
                return rows;
            }

            after = page[^1].ObjectId;
        }
    }

    private static string Owners(App app, OwnerKind kind) => string.Join("; ", app.OwnersOf(kind).Select(o => o.UserPrincipalName ?? o.DisplayName));
}
