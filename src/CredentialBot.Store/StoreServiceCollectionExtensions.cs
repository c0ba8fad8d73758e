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

    public string EffectiveConnectionString => string.IsNullOrWhiteSpace(ConnectionString)
        ? $"Data Source={Path.Combine(AppContext.BaseDirectory, "credentialbot.db")}"
        : ConnectionString;
}

/// <summary>Registration of the store.</summary>
public static class StoreServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="StoreOptions"/>, registers the provider's DbContext as
    /// <see cref="CredentialBotDbContext"/>, the store services, and a hosted service that applies migrations
    /// at start (register the store before anything that reads it).
    /// </summary>
    public static IServiceCollection AddCredentialBotStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StoreOptions>()
            .Bind(configuration.GetSection(StoreOptions.SectionName))
            .Validate(o => o.Provider != StoreProvider.Postgres || !string.IsNullOrWhiteSpace(o.ConnectionString), "Store:ConnectionString is required when Store:Provider is Postgres.")
            .ValidateOnStart();
        var options = configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        if (options.Provider == StoreProvider.Postgres)
        {
            services.AddDbContext<CredentialBotDbContext, PostgresCredentialBotDbContext>(o => o.UseNpgsql(options.ConnectionString));
        }
        else
        {
            services.AddDbContext<CredentialBotDbContext, SqliteCredentialBotDbContext>(o => o.UseSqlite(options.EffectiveConnectionString).AddInterceptors(new SqliteTuning()));
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AppCatalog>();
        services.AddScoped<OwnershipStore>();
        services.AddScoped<PolicyStore>();
        services.AddScoped<ConversationReferenceStore>();
        services.AddScoped<AuditLog>();
        services.AddScoped<LeaseStore>();
        services.AddScoped<Outbox>();
        services.AddScoped<SnoozeStore>();
        services.AddScoped<DeltaTokenStore>();
        services.AddScoped<AccessRequestStore>();
        services.AddScoped<GrantStore>();
        services.AddScoped<SecretRemovalStore>();
        services.AddScoped<ComplianceHistory>();
        services.AddHostedService<StoreMigrator>();
        return services;
    }

    /// <summary>Readiness check: the database answers.</summary>
    public static IHealthChecksBuilder AddCredentialBotStoreCheck(this IHealthChecksBuilder builder, IEnumerable<string> tags) =>
        builder.AddDbContextCheck<CredentialBotDbContext>("store", tags: tags);
}

/// <summary>Applies pending migrations before the app serves (never EnsureCreated: migrations are the schema's history).</summary>
internal sealed class StoreMigrator(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await StoreDatabase.MigrateAsync(scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>(), cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Schema management shared by the host, the CLI and tests.</summary>
public static class StoreDatabase
{
    public static async Task MigrateAsync(CredentialBotDbContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        if (context.Database.IsSqlite())
        {
            // WAL lets readers (chat commands) proceed while a scan writes.
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        }

        // A first load killed before it rebuilt the snapshot's indexes (AppCatalog.BeginBulkLoadAsync) gets them back here.
        await Services.SnapshotIndexes.EnsureAsync(context, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
