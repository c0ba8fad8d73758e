using CredentialBot.Domain;

namespace CredentialBot.Scanning;

/// <summary>
/// What came of asking for a scan: it ran (<see cref="Result"/> and the compliance snapshot taken after it), or
/// another scan held the scanner (<see cref="RunningElsewhere"/> names it), or the lease was lost midway.
/// </summary>
public sealed record ScanAttempt(ScanResult? Result, ComplianceSummary? Summary, string? RunningElsewhere)
{
    public bool Ran => Result is not null;

    public static ScanAttempt Busy(string? holder) => new(null, null, holder ?? "another scan (it has just finished or is starting)");
}
