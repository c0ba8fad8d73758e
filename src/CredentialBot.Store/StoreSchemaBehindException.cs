namespace CredentialBot.Store;

/// <summary>
/// The store's schema is older than this version and <see cref="StoreOptions.MigrateAtStart"/> is off: the message
/// names the pending migrations and what to run.
/// </summary>
public sealed class StoreSchemaBehindException : InvalidOperationException
{
    public StoreSchemaBehindException()
    {
    }

    public StoreSchemaBehindException(string message)
        : base(message)
    {
    }

    public StoreSchemaBehindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
