using Microsoft.Data.Sqlite;

namespace CredentialBot.Store;

/// <summary>
/// Section "Audit": the key that MACs the audit chain and where checkpoints are kept. Neither the key nor the
/// checkpoints are in the database, so whoever can write the database alone cannot rewrite, cut or wipe the trail
/// unnoticed.
/// </summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Fewest bytes of key material accepted (HMAC-SHA256's block of security).</summary>
    public const int MinimumKeyBytes = 32;

    /// <summary>
    /// The chain key: base64 of at least 32 random bytes (<c>openssl rand -base64 32</c>). In production keep it in Key
    /// Vault and pass it as a Key Vault reference (App Service: <c>@Microsoft.KeyVault(SecretUri=…)</c>) or from a
    /// secret store into <c>Audit__ChainKey</c>. When unset, <see cref="KeyFile"/> is used.
    /// </summary>
    public string? ChainKey { get; set; }

    /// <summary>
    /// A key file, used when <see cref="ChainKey"/> is unset; generated (owner-only permissions) when missing on a store
    /// that was never keyed. Default with SQLite: the database file's path + <c>.audit-key</c>.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// The file checkpoints are appended to. Default with SQLite: the database file's path + <c>.audit-checkpoints</c>.
    /// Required with PostgreSQL. Put it where the database's users cannot write (another volume, append-only storage).
    /// </summary>
    public string? CheckpointPath { get; set; }

    /// <summary>How often a checkpoint is written when the trail has grown (default 5 minutes).</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A checkpoint is also written as soon as this many events were appended since the last one (default 100).</summary>
    public int CheckpointEveryEvents { get; set; } = 100;

    /// <summary>The key file to use, or null when none can be derived (PostgreSQL, in-memory SQLite).</summary>
    public string? EffectiveKeyFile(StoreOptions store) => Beside(KeyFile, store, ".audit-key");

    /// <summary>The checkpoint file to use, or null when none can be derived.</summary>
    public string? EffectiveCheckpointPath(StoreOptions store) => Beside(CheckpointPath, store, ".audit-checkpoints");

    private static string? Beside(string? configured, StoreOptions store, string suffix)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        if (store.Provider != StoreProvider.Sqlite)
        {
            return null;
        }

        var database = new SqliteConnectionStringBuilder(store.EffectiveConnectionString).DataSource;
        return string.IsNullOrWhiteSpace(database) || database.Equals(":memory:", StringComparison.OrdinalIgnoreCase) || database.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : Path.GetFullPath(database) + suffix;
    }
}
