using CredentialBot.Store.Entities;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Audit;

/// <summary>
/// Writes checkpoints: the store's event count and head MAC, MACed, appended to the checkpoint file outside the
/// database and logged. It never anchors a state that contradicts the previous checkpoint (fewer events, a different
/// event at its head, a head that does not verify): it says so loudly instead, and verify-audit names the damage.
/// </summary>
public sealed partial class AuditCheckpointer(IServiceScopeFactory scopes, AuditChain chain, TimeProvider time, ILogger<AuditCheckpointer> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuditCheckpoint? _last;
    private bool _read;

    /// <summary>
    /// Keys a store that never was (generating the key file when allowed), or checks that the configured key is the
    /// trail's: throws <see cref="AuditConfigurationException"/> naming the setting otherwise.
    /// </summary>
    public async Task EnsureKeyedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AuditLog>().EnsureKeyedAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a checkpoint when this process appended events since its last one (the CLI's verbs, at exit).</summary>
    public Task<bool> FlushAsync(CancellationToken cancellationToken) =>
        chain.AppendedSinceCheckpoint > 0 ? WriteAsync("flush", cancellationToken) : Task.FromResult(false);

    /// <summary>Writes a checkpoint if the trail moved since the last one; true when a line was written.</summary>
    public async Task<bool> WriteAsync(string reason, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var appended = chain.AppendedSinceCheckpoint;
            var path = chain.CheckpointPath;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
            var state = await db.AuditChainState.AsNoTracking().SingleOrDefaultAsync(s => s.Id == AuditChainStateRecord.SingletonId, cancellationToken).ConfigureAwait(false);
            if (state?.KeyId is not { } keyId)
            {
                LogStateMissing(logger);
                return false;
            }

            var key = chain.TryLoadKey() is { } loaded && loaded.Id == keyId ? loaded : throw new AuditConfigurationException($"The audit key in use is not the trail's key ({keyId}); run verify-audit.");
            var head = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var count = await db.AuditEvents.LongCountAsync(cancellationToken).ConfigureAwait(false);
            var headSequence = head?.Sequence ?? 0;
            var headMac = head?.Hash ?? AuditChain.GenesisHash;
            var previous = ReadNewest(path, key, count);
            if (previous is not null && previous.Head == headSequence && previous.HeadMac == headMac && previous.Count == count)
            {
                chain.Checkpointed(appended);
                return false;
            }

            if (previous is not null && !await ConsistentAsync(db, previous, headSequence, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            if (head is not null && head.Sequence >= state.KeyedFromSequence && !key.Verifies(head.Hash, AuditChain.EventDomain, AuditChain.FieldsOf(head)))
            {
                LogHeadForged(logger, head.Sequence);
                return false;
            }

            if (_last is not null && !File.Exists(path))
            {
                LogFileDeleted(logger, path);
            }

            var checkpoint = new AuditCheckpoint(AuditCheckpoint.CurrentVersion, time.GetUtcNow(), count, headSequence, headMac, state.KeyedFromSequence, key.Id, reason).Signed(key);
            AuditCheckpointFile.Append(path, checkpoint);
            _last = checkpoint;
            chain.Checkpointed(appended);
            LogCheckpoint(logger, count, headSequence, headMac, reason);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The newest checkpoint this process knows: the last it wrote, else the file's (read once).</summary>
    private AuditCheckpoint? ReadNewest(string path, AuditKey key, long count)
    {
        if (_read)
        {
            return _last;
        }

        _read = true;
        var lines = AuditCheckpointFile.ReadAll(path);
        if (lines is null && count > 0)
        {
            LogNoCheckpoints(logger, path, count);
        }

        return _last = lines?.Select(l => l.Checkpoint).Where(c => c is not null && c.VerifiesWith(key)).MaxBy(c => c!.Head);
    }

    private async Task<bool> ConsistentAsync(CredentialBotDbContext db, AuditCheckpoint previous, long headSequence, CancellationToken cancellationToken)
    {
        if (headSequence < previous.Head)
        {
            LogTruncated(logger, previous.Count, headSequence, previous.At);
            return false;
        }

        if (previous.Head == 0)
        {
            return true;
        }

        var anchored = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence == previous.Head).Select(e => e.Hash).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (anchored == previous.HeadMac)
        {
            return true;
        }

        LogRewritten(logger, previous.Head, previous.At);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit checkpoint: {Count} events, head {Head} with MAC {HeadMac} ({Reason})")]
    private static partial void LogCheckpoint(ILogger logger, long count, long head, string headMac, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit trail tampering: the last checkpoint ({At}) recorded {Count} events, the store now ends at event {Head}. No checkpoint written; run verify-audit")]
    private static partial void LogTruncated(ILogger logger, long count, long head, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit trail tampering: event {Head} is not the event the checkpoint of {At} recorded. No checkpoint written; run verify-audit")]
    private static partial void LogRewritten(ILogger logger, long head, DateTimeOffset at);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Audit trail tampering: the newest event ({Head}) does not verify under the audit key. No checkpoint written; run verify-audit")]
    private static partial void LogHeadForged(ILogger logger, long head);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The audit checkpoint file {Path} does not exist although the store holds {Count} events: if it was deleted, earlier truncation cannot be detected. A new file is started")]
    private static partial void LogNoCheckpoints(ILogger logger, string path, long count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The audit checkpoint file {Path} was deleted while the bot ran. A new file is started")]
    private static partial void LogFileDeleted(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The audit chain's state row is missing or was never keyed: no checkpoint written; run verify-audit")]
    private static partial void LogStateMissing(ILogger logger);
}
