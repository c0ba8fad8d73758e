using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

internal sealed class AppRegistrationRequestRecordConfiguration : IEntityTypeConfiguration<AppRegistrationRequestRecord>
{
    public void Configure(EntityTypeBuilder<AppRegistrationRequestRecord> builder)
    {
        builder.ToTable("AppRegistrationRequests");
        builder.Property(r => r.DisplayName).HasMaxLength(256);
        builder.Property(r => r.Purpose).HasMaxLength(1024);
        builder.Property(r => r.Type).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(32);
        builder.Property(r => r.TechnicalOwners).HasMaxLength(8000);
        builder.Property(r => r.BusinessOwnerObjectId).HasMaxLength(128);
        builder.Property(r => r.BusinessOwnerName).HasMaxLength(256);
        builder.Property(r => r.BusinessOwnerUpn).HasMaxLength(256);
        builder.Property(r => r.PolicyName).HasMaxLength(128);
        builder.Property(r => r.Ticket).HasMaxLength(64);
        builder.Property(r => r.RequesterObjectId).HasMaxLength(128);
        builder.Property(r => r.RequesterName).HasMaxLength(256);
        builder.Property(r => r.DecidedByObjectId).HasMaxLength(128);
        builder.Property(r => r.DecidedByName).HasMaxLength(256);
        builder.Property(r => r.Reason).HasMaxLength(1000);
        builder.Property(r => r.CreatedAppObjectId).HasMaxLength(128);
        builder.Property(r => r.Outcome).HasMaxLength(4000);
        builder.Property(r => r.ApprovalCards).HasMaxLength(8192);
        builder.HasIndex(r => new { r.Status, r.DecideBy });
    }
}
