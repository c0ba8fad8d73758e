using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CredentialBot.Store.Entities;

/// <summary>
/// One request to the tenant's Bot Connector, counted from just before it was sent until one window after its answer
/// came back (<see cref="Services.ConnectorRequestWindow"/>). Rows older than that are deleted by later admissions.
/// </summary>
public sealed class ConnectorRequestRecord
{
    public long Id { get; set; }

    /// <summary>The tenant whose budget the request counts against.</summary>
    public required string Tenant { get; set; }

    /// <summary>When it was admitted, on the store's clock: no later than it was sent.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When its answer was known, on the store's clock; null while it is in flight.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}

internal sealed class ConnectorRequestRecordConfiguration : IEntityTypeConfiguration<ConnectorRequestRecord>
{
    public void Configure(EntityTypeBuilder<ConnectorRequestRecord> builder)
    {
        builder.ToTable("ConnectorRequests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Tenant).HasMaxLength(128);
        builder.HasIndex(r => new { r.Tenant, r.StartedAt });
    }
}
