using System.Text.Json.Serialization;
using CredentialBot.Domain;

namespace CredentialBot.Cli;

/// <summary>Source-generated JSON of what CLI verbs print (<c>compliance --format json</c>).</summary>
[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ComplianceSummary))]
[JsonSerializable(typeof(ScopedComplianceJson))]
internal sealed partial class CliJson : JsonSerializerContext;
