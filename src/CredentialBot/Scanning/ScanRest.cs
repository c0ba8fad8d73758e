using CredentialBot.Shared.Pipeline;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>
/// The scan steps aside for people: after each batch it wrote, while anyone waits for the bot's answer, it rests
/// <see cref="ScannerOptions.YieldToPeople"/> times as long as the batch took. On SQLite a batch holds the store's
/// write lock from its first write to its commit, and on two cores it competes for the processor, so a person's Snooze
/// or Approve that arrives during a batch waits for it; resting as long as each batch took halves the scan's share of
/// both while people act. A listing paced by Graph is no slower: the reader keeps fetching the next pages meanwhile.
/// The scan times its batches, and the rest is kept, on the host's <see cref="TimeProvider"/>: on a fake clock a batch
/// takes no time and rests none.
/// </summary>
public sealed class ScanRest(PeopleWaiting people, TimeProvider time, IOptions<ScannerOptions> options)
{
    /// <summary>Rests, if anyone waits for an answer now, after a batch that took <paramref name="batchTook"/>.</summary>
    public Task AfterBatchAsync(TimeSpan batchTook, CancellationToken cancellationToken) =>
        people.RestAfterAsync(batchTook, options.Value.YieldToPeople, time, cancellationToken);
}
