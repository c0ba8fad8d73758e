using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

/// <summary>A tenant's proactive-send pacing, shared by every instance: the earliest time the next send may go.</summary>
public sealed class SendBudgetRecord
{
    /// <summary>The Entra tenant id ("" when a conversation reference carries none).</summary>
    public required string Tenant { get; set; }

    public DateTimeOffset NextSlotAt { get; set; }
}

internal sealed class SendBudgetRecordConfiguration : IEntityTypeConfiguration<SendBudgetRecord>
{
    public void Configure(EntityTypeBuilder<SendBudgetRecord> builder)
    {
        builder.ToTable("SendBudgets");
        builder.HasKey(b => b.Tenant);
        builder.Property(b => b.Tenant).HasMaxLength(128);
    }
}
