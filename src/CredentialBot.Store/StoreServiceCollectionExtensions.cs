using CredentialBot.Store.Audit;
using CredentialBot.Store.Services;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CredentialBot.Store;

/// <summary>Which database holds the store.</summary>
public enum StoreProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Section "Store".</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>SQLite (default, one instance) or Postgres (several instances).</summary>
    public StoreProvider Provider { get; set; } = StoreProvider.Sqlite;

    /// <summary>Defaults to a SQLite file <c>credentialbot.db</c> beside the app.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Each instance applies pending migrations when it starts (the default; safe with several instances starting
    /// at once, see <see cref="StoreDatabase.MigrateAsync(CredentialBotDbContext, CancellationToken)"/>). Turn it off
    /// where a deployment step runs the <c>migrate</c> verb instead; an instance then refuses to start on a schema
    /// that is behind it.
    /// </summary>
    public bool MigrateAtStart { get; set; } = true;

    public string EffectiveConnectionString => string.IsNullOrWhiteSpace(ConnectionString)
        ? $"Data Source={Path.Combine(AppContext.BaseDirectory, "credentialbot.db")}"
        : ConnectionString;
}

/// <summary>Registration of the store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="StoreOptions"/>, registers the provider's DbContext as
    /// <see cref="CredentialBotDbContext"/>, the store services, and a hosted service that applies migrations at start
    /// (or, with <see cref="StoreOptions.MigrateAtStart"/> off, checks the schema is current; register the store before
    /// anything that reads it).
    /// </summary>
    public static IServiceCollection AddCredentialBotStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StoreOptions>()
            .Bind(configuration.GetSection(StoreOptions.SectionName))
            .Validate(o => o.Provider != StoreProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString), "Store:ConnectionString is required when Store:Provider is Postgres.")
            .ValidateOnStart();
        var options = configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        // Contexts come from EF Core's pool, reset between requests: a new context per request resolved dozens of
        // EF Core's internal services into a fresh scope and compared its options again, 14 % of what the host
        // allocated in P5, and pooling took the host's CPU per request from 5.8-6.8 ms to 5.2-5.5 (docs/benchmarks.md,
        // session 31). The options are built once, as they were before.
        if (options.Provider == StoreProvider.Postgres)
        {
            services.AddDbContextPool<CredentialBotDbContext, PostgresCredentialBotDbContext>(o => UsePostgres(o, options.ConnectionString!));
        }
        else
        {
            services.AddDbContextPool<CredentialBotDbContext, SqliteCredentialBotDbContext>(o => UseSqlite(o, options.EffectiveConnectionString));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AppCatalog>();
        services.AddScoped<OwnershipStore>();
        services.AddScoped<OwnerDepartureStore>();
        services.AddScoped<PolicyStore>();
        services.AddScoped<ConversationReferenceStore>();
        services.AddScoped<AuditLog>();
        services.AddScoped<LeaseStore>();
        services.AddSingleton<LeaseKeeper>();
        services.AddScoped<SendBudget>();
        services.AddScoped<ConnectorRequestWindow>();
        services.AddScoped<Outbox>();
        services.AddScoped<SnoozeStore>();
        services.AddScoped<DeltaTokenStore>();
        services.AddScoped<AccessRequestStore>();
        services.AddScoped<AppRegistrationRequestStore>();
        services.AddScoped<GrantStore>();
        services.AddScoped<SecretRemovalStore>();
        services.AddScoped<RotationReceiptStore>();
        services.AddScoped<AutomaticRotationStore>();
        services.AddScoped<UsageSurveyStore>();
        services.AddScoped<ComplianceHistory>();
        services.AddScoped<PostureHistory>();
        services.AddScoped<AdminScopeStore>();
        services.AddHostedService<StoreMigrator>();
        services.AddAuditChain(configuration);
        return services;
    }

    /// <summary>
    /// PostgreSQL as the store uses it: transient failures retried (<see cref="StoreExecutionStrategy"/>). Tests and
    /// tools that build a context by hand use this too, so they run what production runs.
    /// </summary>
    public static DbContextOptionsBuilder UsePostgres(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseNpgsql(connectionString, o => o.ExecutionStrategy(d => new StoreExecutionStrategy(d)));
    }

    /// <summary>
    /// SQLite as the store uses it: each connection tuned and waiting promptly for the write lock
    /// (<see cref="SqliteTuning"/>). Tests and tools that build a context by hand use this too.
    /// </summary>
    public static DbContextOptionsBuilder UseSqlite(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseSqlite(connectionString).AddInterceptors(new SqliteTuning());
    }

    /// <summary>Readiness check: the database answers.</summary>
    public static IHealthChecksBuilder AddCredentialBotStoreCheck(this IHealthChecksBuilder builder, IEnumerable<string> tags) =>
        builder.AddDbContextCheck<CredentialBotDbContext>("store", tags: tags);
}
