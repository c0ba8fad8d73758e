using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

/// <summary>
/// One count of the tenant's unused credentials from the usage reports, kept for the compliance summary; or, when the
/// tenant cannot have the reports, why not.
/// </summary>
public sealed class UsageSurveyRecord
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>False when the reports were refused (licence, permission); <see cref="Explanation"/> says why.</summary>
    public bool Available { get; set; }

    public string? Explanation { get; set; }

    /// <summary>Credentials in the catalog old enough to have been used in the window.</summary>
    public int Credentials { get; set; }

    /// <summary>Of those, the ones with no sign-in within <see cref="UnusedDays"/> days.</summary>
    public int Unused { get; set; }

    public int UnusedDays { get; set; }
}

internal sealed class UsageSurveyRecordConfiguration : IEntityTypeConfiguration<UsageSurveyRecord>
{
    public void Configure(EntityTypeBuilder<UsageSurveyRecord> builder)
    {
        builder.ToTable("UsageSurveys");
        builder.Property(r => r.Explanation).HasMaxLength(1024);
        builder.HasIndex(r => r.At);
    }
}
