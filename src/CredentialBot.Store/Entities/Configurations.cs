using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

internal sealed class AppRecordConfiguration : IEntityTypeConfiguration<AppRecord>
{
    public void Configure(EntityTypeBuilder<AppRecord> builder)
    {
        builder.ToTable("Apps");
        builder.HasKey(a => a.ObjectId);
        builder.Property(a => a.ObjectId).HasMaxLength(128);
        builder.Property(a => a.AppId).HasMaxLength(128);
        builder.Property(a => a.DisplayName).HasMaxLength(512);
        builder.Property(a => a.DisplayNameLower).HasMaxLength(512);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(32);
        // Exact appId lookups, and names in order (exact names, dense partial matches, prefixes). No index on
        // (Kind, LastSeenAt): every full scan would move all of its entries, and the one query that needs it (marking
        // what a full listing did not see) runs once per listing and reads the table anyway. Substring search has its own
        // index per provider (SnapshotIndexes).
        builder.HasIndex(a => a.AppId);
        builder.HasIndex(a => a.DisplayNameLower);
        builder.HasMany(a => a.Credentials).WithOne().HasForeignKey(c => c.AppObjectId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(a => a.Owners).WithOne().HasForeignKey(o => o.AppObjectId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CredentialRecordConfiguration : IEntityTypeConfiguration<CredentialRecord>
{
    public void Configure(EntityTypeBuilder<CredentialRecord> builder)
    {
        builder.ToTable("Credentials");
        builder.Property(c => c.KeyId).HasMaxLength(128);
        builder.Property(c => c.DisplayName).HasMaxLength(512);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(32);
        // No index on EndsAt: the planning walk goes through Apps in object-id order and asks each App's credentials
        // (this index) whether one ends soon, which a random-key index on EndsAt cannot serve, and every scan paid for it.
        builder.HasIndex(c => new { c.AppObjectId, c.KeyId }).IsUnique();
    }
}

internal sealed class OwnerRecordConfiguration : IEntityTypeConfiguration<OwnerRecord>
{
    public void Configure(EntityTypeBuilder<OwnerRecord> builder)
    {
        builder.ToTable("Owners");
        builder.Property(o => o.PersonObjectId).HasMaxLength(128);
        builder.Property(o => o.DisplayName).HasMaxLength(256);
        builder.Property(o => o.UserPrincipalName).HasMaxLength(256);
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(o => new { o.AppObjectId, o.PersonObjectId, o.Kind }).IsUnique();
        builder.HasIndex(o => o.PersonObjectId);
    }
}

internal sealed class PolicyRecordConfiguration : IEntityTypeConfiguration<PolicyRecord>
{
    public void Configure(EntityTypeBuilder<PolicyRecord> builder)
    {
        builder.ToTable("Policies");
        builder.Property(p => p.Name).HasMaxLength(128);
        builder.Property(p => p.ExpiryStagesDays).HasMaxLength(64);
        builder.Property(p => p.ApprovalChannelId).HasMaxLength(256);
        builder.HasIndex(p => p.Name).IsUnique();
        builder.HasMany(p => p.Assignments).WithOne(a => a.Policy).HasForeignKey(a => a.PolicyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PolicyAssignmentRecordConfiguration : IEntityTypeConfiguration<PolicyAssignmentRecord>
{
    public void Configure(EntityTypeBuilder<PolicyAssignmentRecord> builder)
    {
        builder.ToTable("PolicyAssignments");
        builder.Property(a => a.Target).HasConversion<string>().HasMaxLength(32);
        builder.Property(a => a.Value).HasMaxLength(512);
        builder.HasIndex(a => new { a.Target, a.Value }).IsUnique();
    }
}

internal sealed class ConversationReferenceRecordConfiguration : IEntityTypeConfiguration<ConversationReferenceRecord>
{
    public void Configure(EntityTypeBuilder<ConversationReferenceRecord> builder)
    {
        builder.ToTable("ConversationReferences");
        builder.HasKey(r => r.ConversationId);
        builder.Property(r => r.ConversationId).HasMaxLength(512);
        builder.Property(r => r.ConversationType).HasMaxLength(32);
        builder.Property(r => r.UserObjectId).HasMaxLength(128);
        builder.Property(r => r.UserId).HasMaxLength(512);
        builder.Property(r => r.TenantId).HasMaxLength(128);
        builder.Property(r => r.ServiceUrl).HasMaxLength(512);
        builder.Property(r => r.ChannelId).HasMaxLength(64);
        builder.Property(r => r.BotId).HasMaxLength(256);
        builder.Property(r => r.TeamId).HasMaxLength(512);
        builder.Property(r => r.ChannelName).HasMaxLength(256);
        builder.HasIndex(r => r.UserObjectId);
    }
}

internal sealed class OutboxMessageRecordConfiguration : IEntityTypeConfiguration<OutboxMessageRecord>
{
    public void Configure(EntityTypeBuilder<OutboxMessageRecord> builder)
    {
        builder.ToTable("Outbox");
        builder.Property(m => m.DedupKey).HasMaxLength(512);
        builder.Property(m => m.RecipientObjectId).HasMaxLength(128);
        builder.Property(m => m.ConversationId).HasMaxLength(512);
        builder.Property(m => m.ClaimedBy).HasMaxLength(256);
        builder.Property(m => m.LastError).HasMaxLength(1024);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(32);
        builder.HasIndex(m => m.DedupKey).IsUnique();
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        // A claim asks, per recipient, whether someone holds a live claim on any of their messages.
        builder.HasIndex(m => new { m.RecipientObjectId, m.Status });
    }
}

internal sealed class AuditEventRecordConfiguration : IEntityTypeConfiguration<AuditEventRecord>
{
    public void Configure(EntityTypeBuilder<AuditEventRecord> builder)
    {
        builder.ToTable("AuditEvents");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.Property(e => e.ActorObjectId).HasMaxLength(128);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.AppObjectId).HasMaxLength(128);
        builder.Property(e => e.Operation).HasMaxLength(64);
        builder.Property(e => e.Outcome).HasMaxLength(64);
        builder.Property(e => e.Reason).HasMaxLength(2048);
        builder.Property(e => e.Ticket).HasMaxLength(128);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => e.AppObjectId);
    }
}

internal sealed class LeaseRecordConfiguration : IEntityTypeConfiguration<LeaseRecord>
{
    public void Configure(EntityTypeBuilder<LeaseRecord> builder)
    {
        builder.ToTable("Leases");
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(128);
        builder.Property(l => l.Holder).HasMaxLength(256);
    }
}

internal sealed class DeltaTokenRecordConfiguration : IEntityTypeConfiguration<DeltaTokenRecord>
{
    public void Configure(EntityTypeBuilder<DeltaTokenRecord> builder)
    {
        builder.ToTable("DeltaTokens");
        builder.HasKey(d => d.Collection);
        builder.Property(d => d.Collection).HasMaxLength(64);
        builder.Property(d => d.DeltaLink).HasMaxLength(4096);
    }
}

internal sealed class CredentialSnoozeRecordConfiguration : IEntityTypeConfiguration<CredentialSnoozeRecord>
{
    public void Configure(EntityTypeBuilder<CredentialSnoozeRecord> builder)
    {
        builder.ToTable("CredentialSnoozes");
        builder.HasKey(s => new { s.AppObjectId, s.CredentialKeyId });
        builder.Property(s => s.AppObjectId).HasMaxLength(128);
        builder.Property(s => s.CredentialKeyId).HasMaxLength(128);
        builder.Property(s => s.ByObjectId).HasMaxLength(128);
        builder.Property(s => s.ByName).HasMaxLength(256);
    }
}

internal sealed class AccessRequestRecordConfiguration : IEntityTypeConfiguration<AccessRequestRecord>
{
    public void Configure(EntityTypeBuilder<AccessRequestRecord> builder)
    {
        builder.ToTable("AccessRequests");
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Right).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.OwnerKind).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.AppObjectId).HasMaxLength(128);
        builder.Property(r => r.RequesterObjectId).HasMaxLength(128);
        builder.Property(r => r.RequesterName).HasMaxLength(256);
        builder.Property(r => r.Justification).HasMaxLength(1000);
        builder.Property(r => r.Ticket).HasMaxLength(64);
        builder.Property(r => r.PersonObjectId).HasMaxLength(128);
        builder.Property(r => r.PersonName).HasMaxLength(256);
        builder.Property(r => r.PersonUpn).HasMaxLength(256);
        builder.Property(r => r.ReplacesObjectId).HasMaxLength(128);
        builder.Property(r => r.DecidedByObjectId).HasMaxLength(128);
        builder.Property(r => r.DecidedByName).HasMaxLength(256);
        builder.Property(r => r.ApprovalCards).HasMaxLength(8192);
        builder.HasIndex(r => new { r.AppObjectId, r.Status });
    }
}

internal sealed class GrantRecordConfiguration : IEntityTypeConfiguration<GrantRecord>
{
    public void Configure(EntityTypeBuilder<GrantRecord> builder)
    {
        builder.ToTable("Grants");
        builder.Property(g => g.Right).HasConversion<string>().HasMaxLength(32);
        builder.Property(g => g.AppObjectId).HasMaxLength(128);
        builder.Property(g => g.PersonObjectId).HasMaxLength(128);
        builder.Property(g => g.PimRequestId).HasMaxLength(128);
        builder.HasIndex(g => new { g.PersonObjectId, g.AppObjectId });
        builder.HasIndex(g => g.RequestId).IsUnique();
        builder.HasIndex(g => g.EndsAt);
    }
}

internal sealed class SecretRemovalRecordConfiguration : IEntityTypeConfiguration<SecretRemovalRecord>
{
    public void Configure(EntityTypeBuilder<SecretRemovalRecord> builder)
    {
        builder.ToTable("SecretRemovals");
        builder.Property(r => r.AppKind).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.AppObjectId).HasMaxLength(128);
        builder.Property(r => r.KeyId).HasMaxLength(128);
        builder.Property(r => r.CredentialName).HasMaxLength(512);
        builder.Property(r => r.RequestedByObjectId).HasMaxLength(128);
        builder.Property(r => r.RequestedByName).HasMaxLength(256);
        builder.HasIndex(r => new { r.AppObjectId, r.KeyId }).IsUnique();
        builder.HasIndex(r => new { r.Status, r.DueAt });
    }
}

internal sealed class RotationReceiptRecordConfiguration : IEntityTypeConfiguration<RotationReceiptRecord>
{
    public void Configure(EntityTypeBuilder<RotationReceiptRecord> builder)
    {
        builder.ToTable("RotationReceipts");
        builder.Property(r => r.AppKind).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.AppObjectId).HasMaxLength(128);
        builder.Property(r => r.NewKeyId).HasMaxLength(128);
        builder.Property(r => r.CredentialName).HasMaxLength(512);
        builder.Property(r => r.RotatedByObjectId).HasMaxLength(128);
        builder.Property(r => r.RotatedByName).HasMaxLength(256);
        builder.Property(r => r.Card).HasMaxLength(2048);
        builder.HasIndex(r => new { r.AppObjectId, r.NewKeyId }).IsUnique();
        builder.HasIndex(r => new { r.FirstUsedAt, r.ClosedAt });
    }
}

internal sealed class ComplianceSnapshotRecordConfiguration : IEntityTypeConfiguration<ComplianceSnapshotRecord>
{
    public void Configure(EntityTypeBuilder<ComplianceSnapshotRecord> builder)
    {
        builder.ToTable("ComplianceSnapshots");
        builder.HasIndex(s => s.At);
    }
}
