using System.Globalization;
using System.Text.Json;
using CredentialBot.Admin;
using CredentialBot.Domain;

namespace CredentialBot.Cli;

/// <summary>
/// <c>compliance [--format table|csv|json]</c>: the tenant's compliance now, computed from the store. Exit codes: 0
/// printed, 2 bad arguments or configuration. Table and JSON print the summary; CSV prints every app.
/// </summary>
public static class ComplianceVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (own, settings) = CliHost.Split(args);
        var format = own is ["--format", var f] ? f : own.Count == 0 ? "table" : null;
        if (format is not ("table" or "csv" or "json"))
        {
            await output.WriteLineAsync("Usage: compliance [--format table|csv|json]").ConfigureAwait(false);
            return 2;
        }

        return await CliHost.RunAsync(settings, output, async services =>
        {
            if (format == "csv")
            {
                await services.GetRequiredService<Exports>().WriteAsync(ExportKind.Compliance, output, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            var summary = await CliProgress.RunAsync(output, "Evaluating every app…", _ => services.GetRequiredService<ComplianceReport>().ComputeAsync(cancellationToken)).ConfigureAwait(false);
            if (format == "json")
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(summary, CliJsonContext.Default.ComplianceSummary)).ConfigureAwait(false);
                return 0;
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                Compliance at {summary.At:yyyy-MM-dd HH:mm} UTC
                  Apps                     {summary.Total} ({summary.Applications} app registrations, {summary.ServicePrincipals} enterprise applications)
                  Compliant                {summary.Compliant} ({summary.CompliantShare:P0})
                  Expired                  {summary.Expired}
                  Expiring within 7 days   {summary.ExpiringWithin7Days}
                  Expiring within 30 days  {summary.ExpiringWithin30Days}
                Non-compliant by rule
                """)).ConfigureAwait(false);
            foreach (var rule in ComplianceTally.Rules)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {rule,-25}{summary.NonCompliantByRule.GetValueOrDefault(rule)}")).ConfigureAwait(false);
            }

            await output.WriteLineAsync("Most urgent").ConfigureAwait(false);
            foreach (var app in summary.MostUrgent)
            {
                await output.WriteLineAsync($"  {app.DisplayName} ({app.AppId}): {app.Reason}").ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// <c>import-owners FILE [--dry-run]</c>: the chat's owner import for scripts, same checks. Exit codes: 0 imported (or,
/// with --dry-run, every row valid), 1 bad rows (each printed with its line; nothing imported), 2 bad arguments or
/// configuration.
/// </summary>
public static class ImportOwnersVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (own, settings) = CliHost.Split(args);
        var dryRun = own.Remove("--dry-run");
        if (own is not [var path] || !File.Exists(path))
        {
            await output.WriteLineAsync(own is [var missing] ? $"No such file: {missing}" : "Usage: import-owners FILE [--dry-run]").ConfigureAwait(false);
            return 2;
        }

        var csv = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return await CliHost.RunAsync(settings, output, async services =>
        {
            var import = services.GetRequiredService<OwnerImport>();
            var plan = await CliProgress.RunAsync(output, $"Checking every row of {path}…", _ => import.ValidateAsync(csv, cancellationToken)).ConfigureAwait(false);
            foreach (var problem in plan.Problems)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}:{problem.Line}: {problem.Reason}")).ConfigureAwait(false);
            }

            if (!plan.CanImport)
            {
                await output.WriteLineAsync($"{plan.Problems.Count} bad row(s); nothing was imported.").ConfigureAwait(false);
                return 1;
            }

            if (dryRun)
            {
                await output.WriteLineAsync($"All {plan.Rows.Count} rows are valid; nothing was imported (--dry-run).").ConfigureAwait(false);
                return 0;
            }

            var actor = new Principal("cli:" + Environment.UserName, $"CLI ({Environment.UserName})", IsAdmin: true);
            var imported = await import.ApplyAsync(plan, actor, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"Imported {imported} owner(s).").ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary><c>export-audit [--out FILE]</c>: the audit trail as CSV, to a file or standard output. Exit codes: 0, 2.</summary>
public static class ExportAuditVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (own, settings) = CliHost.Split(args);
        string? path = own is ["--out", var p] ? p : null;
        if (own.Count > 0 && path is null)
        {
            await output.WriteLineAsync("Usage: export-audit [--out FILE]").ConfigureAwait(false);
            return 2;
        }

        return await CliHost.RunAsync(settings, output, async services =>
        {
            var exports = services.GetRequiredService<Exports>();
            if (path is null)
            {
                await exports.WriteAsync(ExportKind.Audit, output, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            var file = new StreamWriter(path);
            await using (file.ConfigureAwait(false))
            {
                var rows = await exports.WriteAsync(ExportKind.Audit, file, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"Wrote {rows} audit events to {path}.").ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(ComplianceSummary))]
internal sealed partial class CliJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
