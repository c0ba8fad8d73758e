namespace CredentialBot.Scanning;

/// <summary>The outcome of one scan; counts are of the Apps read (all of them, or the changed ones).</summary>
public sealed record ScanResult(int Applications, int ServicePrincipals, int NoticesPlanned, DateTimeOffset StartedAt, TimeSpan Duration, ScanMode ApplicationsMode = ScanMode.Full, ScanMode ServicePrincipalsMode = ScanMode.Full)
{
    /// <summary>Both collections were listed in full: every App in the catalog was read and written by this scan.</summary>
    public bool ListedInFull => ApplicationsMode == ScanMode.Full && ServicePrincipalsMode == ScanMode.Full;
}
