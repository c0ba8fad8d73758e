using System.Globalization;
using CredentialBot.Admin.Import;
using CredentialBot.Domain;

namespace CredentialBot.Cli;

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
            await output.WriteLineAsync(own is [var missing] ? $"No such file: {missing}" : "Usage: import-owners FILE [--dry-run]");
            return 2;
        }

        var csv = await File.ReadAllTextAsync(path, cancellationToken);
        return await CliHost.RunAsync(settings, output, async services =>
        {
            var import = services.GetRequiredService<OwnerImport>();
            var plan = await CliProgress.RunAsync(output, $"Checking every row of {path}…", _ => import.ValidateAsync(csv, cancellationToken));
            foreach (var problem in plan.Problems)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{path}:{problem.Line}: {problem.Reason}"));
            }

            if (!plan.CanImport)
            {
                await output.WriteLineAsync($"{plan.Problems.Count} bad row(s); nothing was imported.");
                return 1;
            }

            if (dryRun)
            {
                await output.WriteLineAsync($"All {plan.Rows.Count} rows are valid; nothing was imported (--dry-run).");
                return 0;
            }

            var actor = new Principal("cli:" + Environment.UserName, $"CLI ({Environment.UserName})", IsAdmin: true);
            var imported = await import.ApplyAsync(plan, actor, cancellationToken);
            await output.WriteLineAsync($"Imported {imported} owner(s).");
            return 0;
        }, cancellationToken);
    }
}
