using CredentialBot.Store.Services;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CredentialBot.Store.Tests;

/// <summary>
/// On SQLite an audited change takes the database's write lock when it begins (BEGIN IMMEDIATE), before its first
/// read, so what it reads cannot go stale before it writes and two changes never fail each other mid-way.
/// </summary>
public sealed class SqliteChangeLockingTests : IAsyncLifetime
{
    private readonly SqliteStore _database = new();
    private readonly string _folder = AuditedStore.NewFolder();
    private AuditedStore _store = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _store = new AuditedStore(_database, _folder, new FakeTimeProvider());
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AnOpenChange_HoldsTheWriteLock_BeforeItHasWrittenAnything()
    {
        await using var scope = _store.Services.CreateAsyncScope();
        var change = await scope.ServiceProvider.GetRequiredService<AuditLog>().BeginChangeAsync();

        var whileOpen = await TryWriteAsync();
        await change.DisposeAsync();
        var afterwards = await TryWriteAsync();

        Assert.False(whileOpen, "Another writer got in while the change was open: its transaction did not begin IMMEDIATE.");
        Assert.True(afterwards);
    }

    /// <summary>A write from another connection that gives up after a second.</summary>
    private async Task<bool> TryWriteAsync()
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Default Timeout=1");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO \"Leases\" (\"Name\", \"Holder\", \"ExpiresAt\") VALUES ('probe', 'probe', 0) ON CONFLICT DO NOTHING";
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 5)
        {
            return false;
        }
    }
}
