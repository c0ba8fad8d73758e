using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

internal sealed class AutomaticRotationRecordConfiguration : IEntityTypeConfiguration<AutomaticRotationRecord>
{
    public void Configure(EntityTypeBuilder<AutomaticRotationRecord> builder)
    {
        builder.ToTable("AutomaticRotations");
        builder.Property(r => r.AppKind).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.State).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.CredentialKind).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.NewThumbprint).HasMaxLength(64);
        builder.Property(r => r.AppObjectId).HasMaxLength(128);
        builder.Property(r => r.OldKeyId).HasMaxLength(128);
        builder.Property(r => r.OldCredentialName).HasMaxLength(512);
        builder.Property(r => r.PolicyName).HasMaxLength(128);
        builder.Property(r => r.Marker).HasMaxLength(128);
        builder.Property(r => r.NewKeyId).HasMaxLength(128);
        builder.Property(r => r.VaultSecretId).HasMaxLength(1024);
        builder.Property(r => r.Problem).HasMaxLength(1024);
        builder.HasIndex(r => new { r.AppObjectId, r.OldKeyId }).IsUnique();
        builder.HasIndex(r => r.State);
    }
}
