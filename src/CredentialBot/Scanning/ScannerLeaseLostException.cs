namespace CredentialBot.Scanning;

/// <summary>A scan stopped because its scanner lease could not be kept (another instance may now be scanning).</summary>
public sealed class ScannerLeaseLostException : Exception
{
    public ScannerLeaseLostException()
        : base("The scan stopped: its scanner lease could not be renewed in time, so another instance may take over.")
    {
    }

    public ScannerLeaseLostException(string message)
        : base(message)
    {
    }

    public ScannerLeaseLostException(Exception innerException)
        : base("The scan stopped: its scanner lease could not be renewed in time, so another instance may take over.", innerException)
    {
    }

    public ScannerLeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
