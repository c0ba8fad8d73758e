using CredentialBot.Store.Services;

namespace CredentialBot.Cli;

/// <summary>
/// <c>verify-audit [--Setting=value …]</c>: checks the configured store's audit trail under the audit key and against
/// the checkpoint file, and names every problem: edited or rewritten events, deleted ones (a gap, the newest ones
/// against a checkpoint, or all of them), forged checkpoint lines, no checkpoints at all. It only reads. Exit codes:
/// 0 intact, 1 broken (or unanchored), 2 the configuration is invalid or the key is missing or wrong.
/// </summary>
public static class VerifyAuditVerb
{
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default) =>
        CliHost.RunAsync(args, output, async services =>
        {
            ArgumentNullException.ThrowIfNull(output);
            var result = await services.GetRequiredService<AuditLog>().VerifyAsync(cancellationToken);
            switch (result.Verdict)
            {
                case AuditVerdict.Misconfigured:
                    await output.WriteLineAsync($"The audit trail cannot be verified: {string.Join(" ", result.Problems)}");
                    return 2;
                case AuditVerdict.Intact:
                    await output.WriteLineAsync($"The audit trail is intact: {result.Count} events, every link verified under the audit key and against {result.Checkpoints} checkpoint{(result.Checkpoints == 1 ? string.Empty : "s")}.");
                    break;
                default:
                    await output.WriteLineAsync(result.FirstBrokenSequence is { } first
                        ? $"The audit trail is broken at event {first}; events from there on cannot be trusted:"
                        : "The audit trail is broken:");
                    foreach (var problem in result.Problems)
                    {
                        await output.WriteLineAsync($"  - {problem}");
                    }

                    break;
            }

            foreach (var note in result.Notes)
            {
                await output.WriteLineAsync($"  Note: {note}");
            }

            return result.Intact ? 0 : 1;
        }, cancellationToken);
}
