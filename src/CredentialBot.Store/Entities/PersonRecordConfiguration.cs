using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

internal sealed class PersonRecordConfiguration : IEntityTypeConfiguration<PersonRecord>
{
    public void Configure(EntityTypeBuilder<PersonRecord> builder)
    {
        builder.ToTable("People");
        builder.Property(p => p.PersonObjectId).HasMaxLength(128);
        builder.Property(p => p.DisplayName).HasMaxLength(256);
        builder.Property(p => p.UserPrincipalName).HasMaxLength(256);
        builder.HasIndex(p => p.PersonObjectId).IsUnique();
    }
}
