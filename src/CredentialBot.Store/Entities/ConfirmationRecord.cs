using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

/// <summary>
/// A confirm button that was pressed and acted on: its key is consumed in the same transaction as the action, so a
/// second press (double click, retry, another admin on the same card) finds it and changes nothing.
/// </summary>
public sealed class ConfirmationRecord
{
    /// <summary>SHA-256 (hex) of the scope and the card's confirm id: fixed length whatever the card sent.</summary>
    public required string Key { get; set; }

    /// <summary>What was confirmed, e.g. "ImportOwners".</summary>
    public required string Scope { get; set; }

    public required string ByObjectId { get; set; }

    public string? ByName { get; set; }

    public DateTimeOffset At { get; set; }
}

internal sealed class ConfirmationRecordConfiguration : IEntityTypeConfiguration<ConfirmationRecord>
{
    public void Configure(EntityTypeBuilder<ConfirmationRecord> builder)
    {
        builder.ToTable("Confirmations");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(64);
        builder.Property(c => c.Scope).HasMaxLength(64);
        builder.Property(c => c.ByObjectId).HasMaxLength(128);
        builder.Property(c => c.ByName).HasMaxLength(256);
        builder.HasIndex(c => c.At);
    }
}
