namespace CredentialBot.Scanning;

/// <summary>
/// The scanner lease: one instance scans at a time when several run against one store, whether the scan is scheduled
/// or started from the chat. <see cref="Holder"/> names this host for as long as it runs.
/// </summary>
public sealed class ScannerLease
{
    /// <summary>The lease's name in the store.</summary>
    public const string Name = "scanner";

    /// <summary>This host, as the lease's holder.</summary>
    public string Holder { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
}
