using System.Globalization;
using CredentialBot.Admin.Compliance;
using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CsvHelper;

namespace CredentialBot.Admin.Export;

/// <summary>
/// CSV exports of the audit trail and of per-app compliance, written as they are read (nothing is held in memory).
/// Text a person typed (reasons, names) is escaped against spreadsheet formula injection. Given a scoped admin's scopes,
/// only the Apps they cover are written, and only the audit events about those Apps (events about no App, or about an
/// App no longer in the store, are the global admins').
/// </summary>
public sealed class Exports(AuditLog audit, ComplianceReport compliance, TimeProvider time)
{
    public static readonly string[] AuditColumns = ["sequence", "at", "actorObjectId", "actorName", "appObjectId", "operation", "outcome", "reason", "ticket", "hash"];
    public static readonly string[] ComplianceColumns = ["objectId", "appId", "displayName", "kind", "policy", "compliant", "findings", "nearestExpiry", "entraOwners", "technicalOwners", "businessOwners"];

    /// <summary>The column a scoped compliance export adds: the names of the reader's scopes that hold the App.</summary>
    public const string ScopeColumn = "scope";

    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    /// <param name="kind">Which export.</param>
    /// <param name="output">Where the CSV goes.</param>
    /// <param name="cancellationToken">Stops the export.</param>
    /// <param name="scopes">A scoped admin's scopes, or null for everything (a global admin).</param>
    public async Task<long> WriteAsync(ExportKind kind, TextWriter output, CancellationToken cancellationToken, IReadOnlyList<AdminScope>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var csv = CsvWriter.Create(output, Options, leaveOpen: true);
        return kind == ExportKind.Audit
            ? await WriteAuditAsync(csv, scopes, cancellationToken)
            : await WriteComplianceAsync(csv, scopes, cancellationToken);
    }

    private async Task<long> WriteAuditAsync(CsvWriter csv, IReadOnlyList<AdminScope>? scopes, CancellationToken cancellationToken)
    {
        csv.WriteHeader(AuditColumns);
        HashSet<string>? mine = null;
        if (scopes is not null)
        {
            mine = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var judged in compliance.EvaluateAllAsync(cancellationToken))
            {
                if (AdminScope.AnyCovers(scopes, judged.App))
                {
                    mine.Add(judged.App.ObjectId);
                }
            }
        }

        long rows = 0;
        await foreach (var (sequence, e, hash) in audit.StreamAsync().WithCancellation(cancellationToken))
        {
            if (mine is not null && (e.AppObjectId is null || !mine.Contains(e.AppObjectId)))
            {
                continue;
            }

            csv.WriteRecord([sequence.ToString(CultureInfo.InvariantCulture), e.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), e.ActorObjectId, e.ActorName ?? string.Empty, e.AppObjectId ?? string.Empty, e.Operation, e.Outcome, e.Reason ?? string.Empty, e.Ticket ?? string.Empty, hash]);
            rows++;
        }

        return rows;
    }

    private async Task<long> WriteComplianceAsync(CsvWriter csv, IReadOnlyList<AdminScope>? scopes, CancellationToken cancellationToken)
    {
        // A scoped export says, row by row, which of the reader's scopes holds the App.
        csv.WriteHeader(scopes is null ? ComplianceColumns : [.. ComplianceColumns, ScopeColumn]);
        var now = time.GetUtcNow();
        long rows = 0;
        await foreach (var (app, policy, findings) in compliance.EvaluateAllAsync(cancellationToken))
        {
            if (scopes is not null && !AdminScope.AnyCovers(scopes, app))
            {
                continue;
            }

            csv.WriteRecord(
            [
                app.ObjectId, app.AppId, app.DisplayName, app.Kind == AppKind.Application ? "application" : "servicePrincipal", policy.Name,
                findings.Count == 0 ? "true" : "false",
                string.Join(" | ", findings.Select(f => f.Describe(now))),
                app.NearestExpiry?.EndsAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture) ?? string.Empty,
                Owners(app, OwnerKind.Entra), Owners(app, OwnerKind.Technical), Owners(app, OwnerKind.Business),
                .. scopes is null ? (IEnumerable<string>)[] : [string.Join("; ", scopes.Where(s => s.Covers(app)).Select(s => s.Name))],
            ]);
            rows++;
        }

        return rows;
    }

    private static string Owners(App app, OwnerKind kind) => string.Join("; ", app.OwnersOf(kind).Select(o => o.UserPrincipalName ?? o.DisplayName));
}
