using CredentialBot.Store.Audit;
using Microsoft.Extensions.Options;

namespace CredentialBot.Store;

/// <summary>Refuses an audit configuration that could not key or anchor the chain, naming the setting to fix.</summary>
internal sealed class AuditOptionsValidator(IOptions<StoreOptions> store) : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var storeOptions = store.Value;
        if (!string.IsNullOrWhiteSpace(options.ChainKey))
        {
            // The value is never echoed: a message could end up in a log.
            if (AuditKey.TryDecode(options.ChainKey) is null)
            {
                failures.Add($"Audit:ChainKey must be base64 of at least {AuditOptions.MinimumKeyBytes} random bytes (e.g. the output of 'openssl rand -base64 32').");
            }

            if (!string.IsNullOrWhiteSpace(options.KeyFile))
            {
                failures.Add("Set Audit:ChainKey or Audit:KeyFile, not both.");
            }
        }
        else if (options.EffectiveKeyFile(storeOptions) is not { } keyFile)
        {
            failures.Add(storeOptions.Provider == StoreProvider.Postgres
                ? "Audit:ChainKey is required when Store:Provider is Postgres (every instance must use the same key; keep it in Key Vault), or set Audit:KeyFile to a key file every instance reads."
                : "Audit:ChainKey or Audit:KeyFile is required: the SQLite database is not a file, so no key file can be kept beside it.");
        }
        else if (!System.IO.Directory.Exists(Path.GetDirectoryName(keyFile)))
        {
            failures.Add($"The directory of the audit key file {keyFile} (Audit:KeyFile) does not exist.");
        }

        if (options.EffectiveCheckpointPath(storeOptions) is not { } checkpoints)
        {
            failures.Add(storeOptions.Provider == StoreProvider.Postgres
                ? "Audit:CheckpointPath is required when Store:Provider is Postgres: a file outside the database that audit checkpoints are appended to."
                : "Audit:CheckpointPath is required: the SQLite database is not a file, so checkpoints cannot be kept beside it.");
        }
        else if (!System.IO.Directory.Exists(Path.GetDirectoryName(checkpoints)))
        {
            failures.Add($"The directory of the audit checkpoint file {checkpoints} (Audit:CheckpointPath) does not exist.");
        }

        if (options.CheckpointInterval < TimeSpan.FromSeconds(1) || options.CheckpointInterval > TimeSpan.FromDays(1))
        {
            failures.Add("Audit:CheckpointInterval must be between 1 second and 1 day.");
        }

        if (options.CheckpointEveryEvents is < 1 or > 1_000_000)
        {
            failures.Add("Audit:CheckpointEveryEvents must be between 1 and 1000000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
