using CredentialBot.Store.Audit;
using CredentialBot.Store.Services;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Store.Tests;

/// <summary>
/// The store as the host composes it (<see cref="StoreServiceCollectionExtensions.AddCredentialBotStore"/>) over a test
/// database, with the audit key file and the checkpoint file in a folder of their own, and a controllable clock. Each
/// instance is one process's view: two instances over the same database and folder are two processes.
/// </summary>
public sealed class AuditedStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public AuditedStore(ITestStore database, string folder, TimeProvider time, IDictionary<string, string?>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        Folder = folder;
        var values = new Dictionary<string, string?>
        {
            ["Store:Provider"] = database.Provider.ToString(),
            ["Store:ConnectionString"] = database.ConnectionString,
            ["Audit:KeyFile"] = KeyFile,
            ["Audit:CheckpointPath"] = CheckpointPath,
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            values[name] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Information));
        services.AddCredentialBotStore(configuration);
        _services = services.BuildServiceProvider();
    }

    public string Folder { get; }

    public string KeyFile => Path.Combine(Folder, "audit.key");

    public string CheckpointPath => Path.Combine(Folder, "audit.checkpoints");

    public IServiceProvider Services => _services;

    /// <summary>Every log line written, for tests that expect a loud warning.</summary>
    public RecordingLoggerProvider Logs { get; } = new();

    public AuditCheckpointer Checkpointer => _services.GetRequiredService<AuditCheckpointer>();

    /// <summary>A fresh folder under the temporary directory for a key and checkpoints.</summary>
    public static string NewFolder() => Directory.CreateTempSubdirectory("cb-audit-").FullName;

    /// <summary>Runs <paramref name="work"/> in a new scope: its own DbContext, as one request has.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task<long> AppendAsync(string reason, string actor = "person-alex") =>
        InScopeAsync(sp => sp.GetRequiredService<AuditLog>().AppendAsync(new Domain.AuditEvent(actor, "Alex Wilber", "obj-1", "RotateSecret", "Succeeded", reason, null, sp.GetRequiredService<TimeProvider>().GetUtcNow())));

    public Task<AuditVerification> VerifyAsync() => InScopeAsync(sp => sp.GetRequiredService<AuditLog>().VerifyAsync());

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
