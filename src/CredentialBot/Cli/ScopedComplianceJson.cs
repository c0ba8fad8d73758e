using System.Text.Json.Serialization;
using CredentialBot.Domain;

namespace CredentialBot.Cli;

/// <summary><c>compliance --scope NAME --format json</c>: the scope, described, and the summary of its Apps alone.</summary>
/// <param name="Scope">"Payroll (name:Payroll*)".</param>
/// <param name="Summary">The compliance of the scope's Apps.</param>
public sealed record ScopedComplianceJson(
    [property: JsonPropertyName("scope")] string Scope,
    [property: JsonPropertyName("summary")] ComplianceSummary Summary);
