using CredentialBot.Domain;
using CredentialBot.Ownership;
using CredentialBot.Shared.Audit;
using CredentialBot.Shared.Commands;
using CredentialBot.Store.Services;
using CsvHelper;

namespace CredentialBot.Admin.Import;

/// <summary>
/// Bulk import of technical and business owners from CSV (columns <c>app</c> = appId or object id, <c>kind</c> =
/// technical or business, <c>person</c> = UPN or email, <c>ManageCredentials</c> = true/false). Every row is checked
/// (unknown app, unknown or disabled person, bad kind, bad flag, duplicate) and every bad row is reported; the import
/// is all or nothing, in one transaction, and each owner added is audited. Entra owners are not imported: they are
/// Graph's, and change through the owner dialog. A scoped admin's rows naming Apps outside their scopes are refused by
/// line and left out; the rest is all or nothing as for anyone.
/// </summary>
public sealed class OwnerImport(AppCatalog catalog, ITenantDirectory directory, OwnershipStore ownerships, AuditTrail audit, NewOwnerNotices newOwners)
{
    public const int MaxRows = 2_000;
    private static readonly string[] Columns = ["app", "kind", "person", "managecredentials"];

    /// <summary>
    /// Checks every row. Given a scoped admin's <paramref name="scopes"/>, a row naming an App none of them covers is
    /// refused with its line (and not checked further), so the rest can still be imported.
    /// </summary>
    public async Task<OwnerImportPlan> ValidateAsync(string csvText, CancellationToken cancellationToken, IReadOnlyList<AdminScope>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(csvText);
        var rows = new List<OwnerImportRow>();
        var problems = new List<OwnerImportProblem>();
        var outside = new List<OwnerImportProblem>();
        var people = new Dictionary<string, Person?>(StringComparer.OrdinalIgnoreCase);
        var seen = new Dictionary<(string App, string Person, OwnerKind Kind), int>();
        using var csv = CsvReader.FromText(csvText.Trim(), new CsvReaderOptions { TrackLineNumbers = true, TrimWhitespace = true });
        csv.ReadHeader();
        string Field(string name) => csv.TryGetFieldIndex(name, out var index) ? csv.GetString(index).Trim() : string.Empty;
        if (Columns.Take(3).Any(c => !csv.TryGetFieldIndex(c, out _)))
        {
            return new OwnerImportPlan([], [new OwnerImportProblem(1, "The first line must be the header: app,kind,person,ManageCredentials")]);
        }

        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (rows.Count + problems.Count + outside.Count >= MaxRows)
            {
                problems.Add(new OwnerImportProblem(line, $"More than {MaxRows} rows; split the file."));
                break;
            }

            var appText = Field("app");
            var kindText = Field("kind");
            var personText = Field("person");
            var flagText = Field("managecredentials");
            if (appText.Length == 0 && kindText.Length == 0 && personText.Length == 0)
            {
                continue;
            }

            var reasons = new List<string>();
            var app = appText.Length is 0 or > 128 ? null : (await catalog.FindExactAsync(appText, 2, cancellationToken))
                .FirstOrDefault(a => string.Equals(a.AppId, appText, StringComparison.OrdinalIgnoreCase) || string.Equals(a.ObjectId, appText, StringComparison.OrdinalIgnoreCase));
            if (app is null)
            {
                reasons.Add(appText.Length == 0 ? "no app given" : $"unknown app '{Clip(appText)}' (give its appId or object id)");
            }
            else if (scopes is not null && !AdminScope.AnyCovers(scopes, app))
            {
                outside.Add(new OwnerImportProblem(line, $"{Clip(app.DisplayName)} is outside your admin scope", app.ObjectId));
                continue;
            }

            OwnerKind? kind = kindText.ToLowerInvariant() switch
            {
                "technical" => OwnerKind.Technical,
                "business" => OwnerKind.Business,
                _ => null,
            };
            if (kind is null)
            {
                reasons.Add(kindText.Equals("entra", StringComparison.OrdinalIgnoreCase)
                    ? "Entra owners are not imported; add them with the Add owner dialog or in Entra"
                    : $"bad kind '{Clip(kindText)}' (technical or business)");
            }

            bool? manage = flagText.ToLowerInvariant() switch
            {
                "" or "false" or "no" or "0" => false,
                "true" or "yes" or "1" => true,
                _ => null,
            };
            if (manage is null)
            {
                reasons.Add($"bad ManageCredentials '{Clip(flagText)}' (true or false)");
            }
            else if (manage == true && kind == OwnerKind.Business)
            {
                reasons.Add("only technical owners can hold ManageCredentials");
            }

            Person? person = null;
            if (personText.Length is 0 or > 256)
            {
                reasons.Add("no person given (UPN or email)");
            }
            else
            {
                if (!people.TryGetValue(personText, out person))
                {
                    person = await directory.FindPersonAsync(personText, cancellationToken);
                    people[personText] = person;
                }

                var candidate = OwnershipRules.CheckCandidate(person, Clip(personText));
                if (!candidate.Allowed)
                {
                    reasons.Add(candidate.Explanation.TrimEnd('.'));
                }
            }

            if (app is not null && person is not null && kind is { } k)
            {
                if (seen.TryGetValue((app.ObjectId, person.ObjectId, k), out var first))
                {
                    reasons.Add($"duplicate of line {first}");
                }
                else
                {
                    seen[(app.ObjectId, person.ObjectId, k)] = line;
                }
            }

            if (reasons.Count > 0)
            {
                problems.Add(new OwnerImportProblem(line, string.Join("; ", reasons)));
            }
            else
            {
                rows.Add(new OwnerImportRow(line, app!, kind!.Value, person!, manage!.Value));
            }
        }

        if (rows.Count == 0 && problems.Count == 0 && outside.Count == 0)
        {
            problems.Add(new OwnerImportProblem(2, "The file has a header but no rows."));
        }

        return new OwnerImportPlan(rows, problems, outside);
    }

    /// <summary>Records, one event per line, each row refused for naming an App outside <paramref name="who"/>'s scopes.</summary>
    public async Task AuditOutsideScopeAsync(OwnerImportPlan plan, Principal who, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        foreach (var refused in plan.OutsideScope)
        {
            await audit.RefusedAsync(who, refused.AppObjectId, AuditOperation.AdminCommand(CommandNames.ImportOwners), $"Line {refused.Line}: {refused.Reason}", cancellationToken);
        }
    }

    /// <summary>
    /// Imports every row of a valid plan in one audited change (joining one already open, e.g. the confirm's) with
    /// each row's event; nothing is written when any row or event fails.
    /// </summary>
    public async Task<int> ApplyAsync(OwnerImportPlan plan, Principal actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.CanImport)
        {
            throw new InvalidOperationException("A plan with bad rows cannot be imported.");
        }

        await audit.BeginChangeAsync(cancellationToken);
        try
        {
            foreach (var row in plan.Rows)
            {
                await ownerships.AddOwnerAsync(row.App.ObjectId, new Owner(row.Kind, row.Person.ObjectId, row.Person.DisplayName, row.Person.UserPrincipalName ?? row.Person.Mail, true, false, row.ManageCredentials), cancellationToken);
                await audit.RecordAsync(actor, row.App.ObjectId, AuditOperation.AddOwner, AuditOutcome.Succeeded, $"Imported: {row.Person.DisplayName} as {OwnershipRules.KindName(row.Kind)} owner{(row.ManageCredentials ? " with ManageCredentials" : string.Empty)} (line {row.Line})", cancellationToken);
            }

            await audit.CommitChangeAsync(cancellationToken);
        }
        finally
        {
            await audit.AbandonChangeAsync();
        }

        // Told only once everything is imported: a failed import tells nobody.
        foreach (var row in plan.Rows)
        {
            await newOwners.TellAsync(row.App, row.Kind, row.Person.ObjectId, row.ManageCredentials, actor, "Imported from a CSV file", cancellationToken);
        }

        return plan.Rows.Count;
    }

    private static string Clip(string text) => text.Length > 60 ? string.Concat(text.AsSpan(0, 59), "…") : text;
}
