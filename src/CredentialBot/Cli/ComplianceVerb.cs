using System.Globalization;
using System.Text.Json;
using CredentialBot.Admin.Compliance;
using CredentialBot.Admin.Export;
using CredentialBot.Admin.Scopes;
using CredentialBot.Domain;
using CredentialBot.Shared.Access.Scopes;

namespace CredentialBot.Cli;

/// <summary>
/// <c>compliance [--format table|csv|json] [--scope NAME]</c>: the tenant's compliance now, computed from the store. Exit codes: 0
/// printed, 2 bad arguments or configuration. Table and JSON print the summary; CSV prints every app. With a scope, only
/// its Apps count, and each format names it: a line above the table, a <c>scope</c> member in JSON, a column in CSV.
/// </summary>
public static class ComplianceVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (own, settings) = CliHost.Split(args);
        var scopeAt = own.IndexOf("--scope");
        var scopeName = scopeAt >= 0 && scopeAt + 1 < own.Count ? own[scopeAt + 1] : null;
        if (scopeName is not null)
        {
            own.RemoveRange(scopeAt, 2);
        }
        var format = own is ["--format", var f] ? f : own.Count == 0 ? "table" : null;
        if (format is not ("table" or "csv" or "json"))
        {
            await output.WriteLineAsync("Usage: compliance [--format table|csv|json] [--scope NAME]");
            return 2;
        }

        return await CliHost.RunAsync(settings, output, async services =>
        {
            var scope = scopeName is null ? null : (await services.GetRequiredService<AdminScopeResolver>().AllAsync(cancellationToken)).FirstOrDefault(s => string.Equals(s.Name, scopeName, StringComparison.OrdinalIgnoreCase));
            if (scopeName is not null && scope is null)
            {
                await output.WriteLineAsync($"No admin scope is named \"{scopeName}\" in AdminScopes:Scopes or among the scopes made in Teams.");
                return 2;
            }

            if (format == "csv")
            {
                await services.GetRequiredService<Exports>().WriteAsync(ExportKind.Compliance, output, cancellationToken, scope is null ? null : [scope]);
                return 0;
            }

            var summary = await CliProgress.RunAsync(output, "Evaluating every app…", _ => scope is null
                ? services.GetRequiredService<ComplianceReport>().ComputeAsync(cancellationToken)
                : services.GetRequiredService<ScopedCompliance>().ComputeAsync([scope], cancellationToken));
            if (format == "json")
            {
                await output.WriteLineAsync(scope is null
                    ? JsonSerializer.Serialize(summary, CliJson.Default.ComplianceSummary)
                    : JsonSerializer.Serialize(new ScopedComplianceJson(scope.Describe(), summary), CliJson.Default.ScopedComplianceJson));
                return 0;
            }

            if (scope is not null)
            {
                await output.WriteLineAsync($"Scope: {scope.Describe()} (only these apps are counted)");
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"""
                Compliance at {summary.At:yyyy-MM-dd HH:mm} UTC
                  Apps                     {summary.Total} ({summary.Applications} app registrations, {summary.ServicePrincipals} enterprise applications)
                  Compliant                {summary.Compliant} ({summary.CompliantShare:P0})
                  Expired                  {summary.Expired}
                  Expiring within 7 days   {summary.ExpiringWithin7Days}
                  Expiring within 30 days  {summary.ExpiringWithin30Days} (incl. those within 7 days)
                Non-compliant by rule
                """));
            foreach (var rule in ComplianceTally.Rules)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {rule,-25}{summary.NonCompliantByRule.GetValueOrDefault(rule)}"));
            }

            await output.WriteLineAsync("Most urgent");
            foreach (var app in summary.MostUrgent)
            {
                await output.WriteLineAsync($"  {app.DisplayName} ({app.AppId}): {app.Reason}");
            }

            return 0;
        }, cancellationToken);
    }
}
