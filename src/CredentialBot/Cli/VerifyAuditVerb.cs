using CredentialBot.Store.Services;

namespace CredentialBot.Cli;

/// <summary>
/// <c>verify-audit [--Setting=value …]</c>: walks the audit hash chain of the configured store and reports the first
/// broken link. Exit codes: 0 intact, 1 broken (the sequence is printed), 2 the configuration is invalid.
/// </summary>
public static class VerifyAuditVerb
{
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default) =>
        CliHost.RunAsync(args, output, async services =>
        {
            var result = await services.GetRequiredService<AuditLog>().VerifyAsync(cancellationToken);
            if (result.Intact)
            {
                await output.WriteLineAsync($"The audit trail is intact: {result.Count} events, every link verified.");
                return 0;
            }

            await output.WriteLineAsync($"The audit trail is broken at event {result.FirstBrokenSequence}: that event, or one before it, was edited, inserted or deleted. Events after it cannot be trusted.");
            return 1;
        }, cancellationToken);
}
