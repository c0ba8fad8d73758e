using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

/// <summary>
/// The audit chain's one state row (<see cref="SingletonId"/>). Appends lock it (PostgreSQL: <c>FOR UPDATE</c>) so
/// sequences and MACs are linked by one writer at a time. It records from which sequence events are keyed (MACed):
/// events before it were written by a version that hashed without a key, and the id of the key the chain uses. Both
/// are repeated in every checkpoint outside the database, so editing them here is detected.
/// </summary>
public sealed class AuditChainStateRecord
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    /// <summary>The first sequence MACed with the key; set by the migration that introduced keying to max + 1.</summary>
    public long KeyedFromSequence { get; set; }

    /// <summary>A fingerprint of the chain key (never the key); null until the first keyed append or start.</summary>
    public string? KeyId { get; set; }
}

internal sealed class AuditChainStateRecordConfiguration : IEntityTypeConfiguration<AuditChainStateRecord>
{
    public void Configure(EntityTypeBuilder<AuditChainStateRecord> builder)
    {
        builder.ToTable("AuditChainState");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.KeyId).HasMaxLength(32);
    }
}
