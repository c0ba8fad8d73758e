using CredentialBot.Packaging;

namespace CredentialBot.Cli;

/// <summary>The command-line verbs, by name: each runs with the bot's configuration and returns an exit code.</summary>
public static class CliVerbs
{
    private static readonly Dictionary<string, Func<string[], TextWriter, Task<int>>> Table = new(StringComparer.Ordinal)
    {
        ["package"] = AppPackageCommand.RunAsync,
        ["scan"] = (args, output) => ScanVerb.RunAsync(args, output),
        ["verify-audit"] = (args, output) => VerifyAuditVerb.RunAsync(args, output),
        ["compliance"] = (args, output) => ComplianceVerb.RunAsync(args, output),
        ["import-owners"] = (args, output) => ImportOwnersVerb.RunAsync(args, output),
        ["export-audit"] = (args, output) => ExportAuditVerb.RunAsync(args, output),
        ["dispatch"] = (args, output) => DispatchVerb.RunAsync(args, output),
        ["migrate"] = (args, output) => MigrateVerb.RunAsync(args, output),
    };

    /// <summary>The verb <paramref name="args"/> starts with, run with the rest; null when it names none (start the bot).</summary>
    public static Task<int>? TryRun(string[] args, TextWriter output) =>
        args is [var name, .. var rest] && Table.TryGetValue(name, out var verb) ? verb(rest, output) : null;
}
