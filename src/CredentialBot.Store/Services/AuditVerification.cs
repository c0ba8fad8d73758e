namespace CredentialBot.Store.Services;

/// <summary>
/// The result of checking the audit trail against its key and its checkpoints: each problem as a sentence naming what
/// is wrong or missing (the first broken sequence separately), and notes on what the check could not cover.
/// </summary>
public sealed record AuditVerification(
    AuditVerdict Verdict,
    long Count,
    long? FirstBrokenSequence,
    int Checkpoints,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> Notes)
{
    public bool Intact => Verdict == AuditVerdict.Intact;

    public static AuditVerification Misconfigured(string problem) => new(AuditVerdict.Misconfigured, 0, null, 0, [problem], []);
}
