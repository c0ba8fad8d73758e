using CredentialBot.Store.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace CredentialBot.Store;

/// <summary>
/// The one EF Core model. Each provider has its own subclass so it gets its own migration set
/// (<see cref="SqliteCredentialBotDbContext"/>, <see cref="PostgresCredentialBotDbContext"/>); code uses this type.
/// </summary>
public abstract class CredentialBotDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<AppRecord> Apps => Set<AppRecord>();

    public DbSet<CredentialRecord> Credentials => Set<CredentialRecord>();

    public DbSet<OwnerRecord> Owners => Set<OwnerRecord>();

    public DbSet<PersonRecord> People => Set<PersonRecord>();

    public DbSet<PolicyRecord> Policies => Set<PolicyRecord>();

    public DbSet<PolicyAssignmentRecord> PolicyAssignments => Set<PolicyAssignmentRecord>();

    public DbSet<ConversationReferenceRecord> ConversationReferences => Set<ConversationReferenceRecord>();

    public DbSet<OutboxMessageRecord> Outbox => Set<OutboxMessageRecord>();

    public DbSet<OutboxRecipientRecord> OutboxRecipients => Set<OutboxRecipientRecord>();

    public DbSet<SendBudgetRecord> SendBudgets => Set<SendBudgetRecord>();

    public DbSet<ConnectorRequestRecord> ConnectorRequests => Set<ConnectorRequestRecord>();

    public DbSet<AuditEventRecord> AuditEvents => Set<AuditEventRecord>();

    public DbSet<LeaseRecord> Leases => Set<LeaseRecord>();

    public DbSet<DeltaTokenRecord> DeltaTokens => Set<DeltaTokenRecord>();

    public DbSet<CredentialSnoozeRecord> CredentialSnoozes => Set<CredentialSnoozeRecord>();

    public DbSet<AccessRequestRecord> AccessRequests => Set<AccessRequestRecord>();

    public DbSet<AppRegistrationRequestRecord> AppRegistrationRequests => Set<AppRegistrationRequestRecord>();

    public DbSet<GrantRecord> Grants => Set<GrantRecord>();

    public DbSet<SecretRemovalRecord> SecretRemovals => Set<SecretRemovalRecord>();

    public DbSet<RotationReceiptRecord> RotationReceipts => Set<RotationReceiptRecord>();

    public DbSet<AutomaticRotationRecord> AutomaticRotations => Set<AutomaticRotationRecord>();

    public DbSet<UsageSurveyRecord> UsageSurveys => Set<UsageSurveyRecord>();

    public DbSet<ComplianceSnapshotRecord> ComplianceSnapshots => Set<ComplianceSnapshotRecord>();

    public DbSet<PostureSnapshotRecord> PostureSnapshots => Set<PostureSnapshotRecord>();

    public DbSet<AuditChainStateRecord> AuditChainState => Set<AuditChainStateRecord>();

    public DbSet<ConfirmationRecord> Confirmations => Set<ConfirmationRecord>();

    public DbSet<AdminScopeRecord> AdminScopes => Set<AdminScopeRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Times are stored as UTC ticks: sortable and comparable on SQLite (which cannot order DateTimeOffset)
        // and identical on PostgreSQL, so queries behave the same on both.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CredentialBotDbContext).Assembly);

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.UtcTicks,
        ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
}

/// <summary>SQLite: one instance, a file on a persistent disk.</summary>
public sealed class SqliteCredentialBotDbContext(DbContextOptions<SqliteCredentialBotDbContext> options) : CredentialBotDbContext(options);

/// <summary>PostgreSQL: several instances behind a load balancer.</summary>
public sealed class PostgresCredentialBotDbContext(DbContextOptions<PostgresCredentialBotDbContext> options) : CredentialBotDbContext(options)
{
    /// <summary>
    /// App names are compared in code point order (<c>COLLATE "C"</c>), as SQLite compares them. A database's own
    /// collation is rarely plain C (en_US.UTF-8 on most servers, C.UTF-8 on Debian's), and under any other a B-tree
    /// cannot serve <c>LIKE 'wo%'</c>: a one- or two-letter prefix then walked the name index through every name before
    /// the matches, 64 ms at 200,000 Apps, where a range of the index takes 0.07 ms (docs/benchmarks.md).
    /// <para>
    /// Apps' pages are filled to half: every full listing moves each unchanged App's <c>LastSeenAt</c>, and a new row
    /// version that fits on its page (a HOT update) writes no index. On full pages each one went to another page, with a
    /// new entry in each of the four indexes (the trigram one included): the statement took 6.7 s of a 19 s rescan of
    /// 194,000 Apps and wrote 274 MB of log, and the table grew by half each time until vacuumed. Half-full pages took
    /// it to 1.2 s and 14 MB, every update HOT (docs/benchmarks.md, session 43).
    /// </para>
    /// </summary>
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<AppRecord>().HasStorageParameter("fillfactor", 50);
        modelBuilder.Entity<AppRecord>().Property(a => a.DisplayNameLower).UseCollation("C");
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite model without the host.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCredentialBotDbContext>
{
    public SqliteCredentialBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCredentialBotDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL model without a server.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCredentialBotDbContext>
{
    public PostgresCredentialBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCredentialBotDbContext>().UseNpgsql("Host=localhost;Database=credentialbot").Options);
}
