using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

/// <summary>
/// One row per person the outbox has ever held messages for: what a claim locks (<c>FOR UPDATE SKIP LOCKED</c>) so
/// that a person's messages go to one claimer at a time, whole. Written when their first message is enqueued.
/// </summary>
public sealed class OutboxRecipientRecord
{
    public required string RecipientObjectId { get; set; }
}

internal sealed class OutboxRecipientRecordConfiguration : IEntityTypeConfiguration<OutboxRecipientRecord>
{
    public void Configure(EntityTypeBuilder<OutboxRecipientRecord> builder)
    {
        builder.ToTable("OutboxRecipients");
        builder.HasKey(r => r.RecipientObjectId);
        builder.Property(r => r.RecipientObjectId).HasMaxLength(128);
    }
}
