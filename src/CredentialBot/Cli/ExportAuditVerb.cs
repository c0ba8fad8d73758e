using CredentialBot.Admin.Export;

namespace CredentialBot.Cli;

/// <summary><c>export-audit [--out FILE]</c>: the audit trail as CSV, to a file or standard output. Exit codes: 0, 2.</summary>
public static class ExportAuditVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (own, settings) = CliHost.Split(args);
        var path = own is ["--out", var p] ? p : null;
        if (own.Count > 0 && path is null)
        {
            await output.WriteLineAsync("Usage: export-audit [--out FILE]");
            return 2;
        }

        return await CliHost.RunAsync(settings, output, async services =>
        {
            var exports = services.GetRequiredService<Exports>();
            if (path is null)
            {
                await exports.WriteAsync(ExportKind.Audit, output, cancellationToken);
                return 0;
            }

            var file = new StreamWriter(path);
            await using (file)
            {
                var rows = await exports.WriteAsync(ExportKind.Audit, file, cancellationToken);
                await output.WriteLineAsync($"Wrote {rows} audit events to {path}.");
            }

            return 0;
        }, cancellationToken);
    }
}
