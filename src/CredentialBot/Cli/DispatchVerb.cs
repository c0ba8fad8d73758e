using CredentialBot.Digests;

namespace CredentialBot.Cli;

/// <summary>
/// <c>dispatch [--Setting=value …]</c>: sends what is due in the outbox once and exits, for schedulers (and for the
/// test that kills a dispatcher mid-send). Exit codes: 0 done, 2 the configuration is invalid.
/// </summary>
public static class DispatchVerb
{
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default) =>
        CliHost.RunAsync(args, output, async services =>
        {
            var sent = await services.GetRequiredService<DigestDispatcher>().RunOnceAsync(cancellationToken);
            await output.WriteLineAsync($"Sent {sent} digest(s).");
            return 0;
        }, cancellationToken);
}
