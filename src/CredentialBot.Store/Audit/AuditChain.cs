using System.Globalization;
using System.Security.Cryptography;
using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.Store.Audit;

/// <summary>
/// What every part of the audit trail shares: the key (from <c>Audit:ChainKey</c>, or a key file kept beside the
/// store and generated once, never in the database), how an event's MAC is computed, where checkpoints go, and a
/// count of events appended since the last checkpoint. One per process.
/// </summary>
public sealed partial class AuditChain(IOptions<AuditOptions> options, IOptions<StoreOptions> store, ILogger<AuditChain> logger) : IDisposable
{
    /// <summary>The "previous hash" of the first event.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    internal const string EventDomain = "CredentialBot.AuditEvent.v2";

    private readonly Lock _keyLock = new();
    private readonly SemaphoreSlim _batchFull = new(0, 1);
    private AuditKey? _key;
    private long _appendedSinceCheckpoint;

    /// <summary>The key file in use when <c>Audit:ChainKey</c> is unset; null with a configured key.</summary>
    public string? KeyFilePath => string.IsNullOrWhiteSpace(options.Value.ChainKey) ? options.Value.EffectiveKeyFile(store.Value) : null;

    /// <summary>Where checkpoints are appended.</summary>
    public string CheckpointPath => options.Value.EffectiveCheckpointPath(store.Value)
        ?? throw new AuditConfigurationException("Audit:CheckpointPath is not set.");

    /// <summary>The configured key, or the existing key file's; null when neither exists yet.</summary>
    internal AuditKey? TryLoadKey()
    {
        lock (_keyLock)
        {
            return _key ??= ReadConfiguredKey();
        }
    }

    /// <summary>
    /// The key to append with, checked against the store's record of it. A store never keyed gets the configured key,
    /// or a new key file; a keyed store refuses any other key, and a missing key file is never silently replaced.
    /// </summary>
    internal async Task<AuditKey> KeyForWritingAsync(CredentialBotDbContext db, AuditChainStateRecord state, CancellationToken cancellationToken)
    {
        if (state.KeyId is { } recorded)
        {
            var key = TryLoadKey() ?? throw new AuditConfigurationException(
                $"The audit trail is keyed with key {recorded}, but Audit:ChainKey is unset and the key file {KeyFilePath} (Audit:KeyFile) does not exist. Restore that file or set Audit:ChainKey to the key; a new key could not verify the trail.");
            return key.Id == recorded ? key : throw WrongKey(key, recorded);
        }

        var first = TryLoadKey() ?? CreateKeyFile();
        await db.AuditChainState.Where(s => s.Id == AuditChainStateRecord.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.KeyId, first.Id), cancellationToken).ConfigureAwait(false);
        state.KeyId = first.Id;
        LogKeyed(logger, first.Id, first.Source);
        return first;
    }

    internal static AuditConfigurationException WrongKey(AuditKey key, string recorded) =>
        new($"The configured audit key (key {key.Id}, from {key.Source}) is not the key this trail was written with (key {recorded}). Set Audit:ChainKey or Audit:KeyFile to that key.");

    /// <summary>The event's MAC: its fields, sequence and previous link, under the key.</summary>
    internal static string MacOf(AuditKey key, AuditEventRecord record) => key.Mac(EventDomain, FieldsOf(record));

    /// <summary>SHA-256 over the same fields: how events were linked before the chain was keyed.</summary>
    internal static string LegacyHashOf(AuditEventRecord record) =>
        Convert.ToHexStringLower(SHA256.HashData(AuditKey.Encode(FieldsOf(record))));

    /// <summary>Counts appends; once a batch is full, the checkpoint service is woken.</summary>
    internal void NoteAppended(int events)
    {
        if (Interlocked.Add(ref _appendedSinceCheckpoint, events) >= options.Value.CheckpointEveryEvents && _batchFull.CurrentCount == 0)
        {
            try
            {
                _batchFull.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another append woke it already.
            }
        }
    }

    /// <summary>Events appended by this process since the last checkpoint it wrote.</summary>
    internal long AppendedSinceCheckpoint => Interlocked.Read(ref _appendedSinceCheckpoint);

    internal void Checkpointed(long appendedBefore) => Interlocked.Add(ref _appendedSinceCheckpoint, -appendedBefore);

    internal Task WaitForBatchAsync(CancellationToken cancellationToken) => _batchFull.WaitAsync(cancellationToken);

    public void Dispose() => _batchFull.Dispose();

    /// <summary>What an event's MAC covers, in order.</summary>
    internal static IEnumerable<string?> FieldsOf(AuditEventRecord record) =>
    [
        record.Sequence.ToString(CultureInfo.InvariantCulture),
        record.At.UtcTicks.ToString(CultureInfo.InvariantCulture),
        record.ActorObjectId, record.ActorName, record.AppObjectId, record.Operation, record.Outcome, record.Reason, record.Ticket,
        record.PreviousHash,
    ];

    private AuditKey? ReadConfiguredKey()
    {
        var configured = options.Value.ChainKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AuditKey(AuditKey.TryDecode(configured) ?? throw new AuditConfigurationException($"Audit:ChainKey must be base64 of at least {AuditOptions.MinimumKeyBytes} random bytes."), "Audit:ChainKey");
        }

        var path = KeyFilePath ?? throw new AuditConfigurationException("Audit:ChainKey or Audit:KeyFile is required for this store.");
        if (!File.Exists(path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            LogKeyFileShared(logger, path);
        }

        var text = File.ReadAllText(path);
        return new AuditKey(AuditKey.TryDecode(text) ?? throw new AuditConfigurationException($"The audit key file {path} (Audit:KeyFile) does not hold base64 of at least {AuditOptions.MinimumKeyBytes} bytes."), $"the key file {path}");
    }

    /// <summary>
    /// Writes 32 random bytes to a temporary file readable by this user only, then moves it into place without
    /// overwriting: when two processes race, one file wins and both use it.
    /// </summary>
    private AuditKey CreateKeyFile()
    {
        lock (_keyLock)
        {
            if (_key is not null)
            {
                return _key;
            }

            var path = KeyFilePath ?? throw new AuditConfigurationException("Audit:ChainKey or Audit:KeyFile is required for this store.");
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var material = RandomNumberGenerator.GetBytes(AuditOptions.MinimumKeyBytes);
            try
            {
                using (var file = new FileStream(temporary, create))
                using (var writer = new StreamWriter(file))
                {
                    writer.WriteLine(Convert.ToBase64String(material));
                    writer.Flush();
                    file.Flush(flushToDisk: true);
                }

                File.Move(temporary, path, overwrite: false);
                LogKeyGenerated(logger, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
                File.Delete(temporary);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(material);
            }

            return _key = ReadConfiguredKey() ?? throw new AuditConfigurationException($"The audit key file {path} could not be created.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Generated a new audit chain key in {Path} (readable by this user only). Keep it with the store's backups; in production set Audit:ChainKey from Key Vault instead")]
    private static partial void LogKeyGenerated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "The audit chain is keyed from now on with key {KeyId} ({Source})")]
    private static partial void LogKeyed(ILogger logger, string keyId, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The audit key file {Path} can be read or written by other users; restrict it to this user (chmod 600)")]
    private static partial void LogKeyFileShared(ILogger logger, string path);
}
