using CredentialBot.Shared.Pipeline;
using Microsoft.Extensions.Options;

namespace CredentialBot.Scanning;

/// <summary>
/// The scan steps aside for people: after each batch it wrote, while anyone waits for the bot's answer, it rests
/// <see cref="ScannerOptions.YieldToPeople"/> times as long as the batch took (<see cref="PeopleWaiting.RestAfterAsync"/>
/// says why). A listing paced by Graph is no slower: the reader keeps fetching the next pages meanwhile.
/// </summary>
public sealed class ScanRest(PeopleWaiting people, TimeProvider time, IOptions<ScannerOptions> options)
{
    /// <summary>Whether anyone waits for the bot's answer now: then the scan commits each batch as soon as it is written.</summary>
    public bool AnyoneWaiting => people.Any;

    /// <summary>Rests, if anyone waits for an answer now, after a batch that took <paramref name="batchTook"/>.</summary>
    public Task AfterBatchAsync(TimeSpan batchTook, CancellationToken cancellationToken) =>
        people.RestAfterAsync(batchTook, options.Value.YieldToPeople, time, cancellationToken);
}
