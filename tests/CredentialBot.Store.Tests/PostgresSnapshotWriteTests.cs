using System.Data.Common;
using CredentialBot.Domain;
using CredentialBot.Store.Services;
using CredentialBot.TestKit.Builders;
using Microsoft.EntityFrameworkCore;

namespace CredentialBot.Store.Tests;

/// <summary><see cref="SnapshotWriteTests"/> on a real PostgreSQL server, where writers of one App meet on its row lock.</summary>
public sealed class PostgresSnapshotWriteTests : SnapshotWriteTests
{
    private readonly PostgresStore _store;

    public PostgresSnapshotWriteTests()
        : this(new PostgresStore())
    {
    }

    private PostgresSnapshotWriteTests(PostgresStore store)
        : base(store) => _store = store;

    /// <summary>
    /// A full listing moves every unchanged App's <c>LastSeenAt</c>. Where the new row version fits on the old one's
    /// page (a HOT update) no index is written; where it does not, each of the Apps' four indexes, the trigram one
    /// included, gets a new entry for every App, and the log the whole row. So the first load leaves room on each page.
    /// </summary>
    [Fact]
    public async Task ARescanOfUnchangedApps_RightAfterTheFirstLoad_MovesNoAppOffItsPage()
    {
        var start = _store.Time.GetUtcNow();
        var apps = Enumerable.Range(0, 2_000)
            .Select(i => new AppBuilder(start).WithIds($"{Guid.NewGuid()}", $"appid-{i}").Named($"Generated App {i:D6}").Build())
            .ToList();
        await WriteInBatchesAsync(apps, start);
        var before = await PagesAsync();

        await WriteInBatchesAsync(apps, start.AddHours(1));

        var after = await PagesAsync();
        Assert.Equal(apps.Count, after.Count);
        var moved = after.Count(a => a.Value != before[a.Key]);
        Assert.True(moved < apps.Count / 100, $"{moved} of {apps.Count} Apps moved to another page.");
    }

    private async Task WriteInBatchesAsync(IReadOnlyList<App> apps, DateTimeOffset readAt)
    {
        foreach (var batch in apps.Chunk(500))
        {
            await using var db = _store.NewContext();
            await new AppCatalog(db, _store.Time).UpsertSnapshotAsync(batch, readAt);
        }
    }

    /// <summary>The page (the block of <c>ctid</c>) each App's current row version is on.</summary>
    private async Task<Dictionary<string, long>> PagesAsync()
    {
        await using var db = _store.NewContext();
        await db.Database.OpenConnectionAsync();
        await using DbCommand command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = """SELECT "ObjectId", (ctid::text::point)[0]::bigint FROM "Apps" """;
        await using var reader = await command.ExecuteReaderAsync();
        var pages = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            pages[reader.GetString(0)] = reader.GetInt64(1);
        }

        return pages;
    }
}
