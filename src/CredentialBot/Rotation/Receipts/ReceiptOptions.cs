using System.ComponentModel.DataAnnotations;

namespace CredentialBot.Rotation.Receipts;

/// <summary>
/// Section "Receipts": evidence from Entra's usage reports before and after a rotation. The reports need
/// <c>AuditLog.Read.All</c> and Microsoft Entra ID P1/P2; without them the bot says so once and works as before.
/// </summary>
public sealed class ReceiptOptions
{
    public const string SectionName = "Receipts";

    /// <summary>False never reads the usage reports: no receipts, and old credentials are removed when due, as before.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>An old credential used this recently is not removed when due; its owners are asked instead.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00", ErrorMessage = "Receipts:RecentUse must be between 5 minutes and 30 days.")]
    public TimeSpan RecentUse { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long "keep it longer" postpones an asked removal; the usage is read again when it is due.</summary>
    [Range(1, 90, ErrorMessage = "Receipts:KeepLongerDays must be between 1 and 90.")]
    public int KeepLongerDays { get; set; } = 7;

    /// <summary>
    /// How long a due removal waits for usage reports that do not answer (an outage, not a missing licence or
    /// permission). After that it goes ahead without a usage check, as it would in a tenant without the reports, and the
    /// audit event says so: an outage must not keep an old credential alive for ever.
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00", ErrorMessage = "Receipts:ReportsWaitAtMost must be between 1 hour and 30 days.")]
    public TimeSpan ReportsWaitAtMost { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often rotated credentials are looked up for their first use (the reports lag behind sign-ins anyway).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00", ErrorMessage = "Receipts:CheckInterval must be between 5 seconds and 1 day.")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the tenant's unused credentials are counted for the compliance summary (one tenant-wide listing).</summary>
    [Range(typeof(TimeSpan), "00:00:05", "7.00:00:00", ErrorMessage = "Receipts:SurveyInterval must be between 5 seconds and 7 days.")]
    public TimeSpan SurveyInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Credentials with no sign-in for this many days count as unused in the compliance summary.</summary>
    [Range(1, 365, ErrorMessage = "Receipts:UnusedDays must be between 1 and 365.")]
    public int UnusedDays { get; set; } = 90;
}
