namespace CredentialBot.Store.Audit;

/// <summary>
/// The audit key or checkpoint file cannot be used as configured (missing, malformed, or not the key the trail was
/// written with). The message names the setting to fix and never contains key material. The CLI answers it with exit
/// code 2; the host does not start.
/// </summary>
public sealed class AuditConfigurationException : Exception
{
    public AuditConfigurationException()
    {
    }

    public AuditConfigurationException(string message)
        : base(message)
    {
    }

    public AuditConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
