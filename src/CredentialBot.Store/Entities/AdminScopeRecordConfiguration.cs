using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

internal sealed class AdminScopeRecordConfiguration : IEntityTypeConfiguration<AdminScopeRecord>
{
    public void Configure(EntityTypeBuilder<AdminScopeRecord> builder)
    {
        builder.ToTable("AdminScopes");
        builder.Property(s => s.Name).HasMaxLength(60);
        builder.Property(s => s.NameKey).HasMaxLength(60);
        builder.Property(s => s.UpdatedBy).HasMaxLength(200);
        builder.HasIndex(s => s.NameKey).IsUnique();
    }
}
