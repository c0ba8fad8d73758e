using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

internal sealed class PostureSnapshotRecordConfiguration : IEntityTypeConfiguration<PostureSnapshotRecord>
{
    public void Configure(EntityTypeBuilder<PostureSnapshotRecord> builder)
    {
        builder.ToTable("PostureSnapshots");
        builder.HasIndex(s => s.At);
    }
}
