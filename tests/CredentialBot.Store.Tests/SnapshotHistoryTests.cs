using CredentialBot.Domain;
using CredentialBot.Store.Services;

namespace CredentialBot.Store.Tests;

/// <summary>
/// Compliance summaries and posture reviews are kept the same way: the latest two come back as saved (enums by name,
/// links intact), only the latest 100 are kept, and one table never sees the other's rows. On SQLite and PostgreSQL.
/// </summary>
public abstract class SnapshotHistoryTests<TStore> : IAsyncLifetime
    where TStore : ITestStore, new()
{
    private readonly TStore _store = new();

    public Task InitializeAsync() => _store.InitializeAsync();

    public Task DisposeAsync() => _store.DisposeAsync();

    [Fact]
    public async Task PostureHistory_ReturnsTheLatestTwoAsSaved_AndKeepsOnlyTheLatestHundred()
    {
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 103; i++)
        {
            await using var db = _store.NewContext();
            await new PostureHistory(db).SaveAsync(Report(start.AddHours(i), i));
        }

        await using (var db = _store.NewContext())
        {
            var (latest, previous) = await new PostureHistory(db).LatestAsync();

            Assert.Equal(start.AddHours(102), latest!.At);
            Assert.Equal(start.AddHours(101), previous!.At);
            Assert.Equal(Report(start.AddHours(102), 102).Findings, latest.Findings);
            Assert.Equal(100, db.PostureSnapshots.Count());
            Assert.Equal(0, db.ComplianceSnapshots.Count());
            Assert.Equal((null, null), await new ComplianceHistory(db).LatestAsync());
        }
    }

    [Fact]
    public async Task PostureHistory_BeforeAnyReview_HasNeither()
    {
        await using var db = _store.NewContext();

        Assert.Equal((null, null), await new PostureHistory(db).LatestAsync());
    }

    private static TenantPostureReport Report(DateTimeOffset at, int unowned) => new(at,
    [
        new PostureFinding(PostureChecks.UnownedApps, unowned == 0 ? PostureRating.Good : PostureRating.AtRisk, $"{unowned} app registrations have no owner at all.", "Why.", AdminCenterLinks.AppRegistrations),
        new PostureFinding(PostureChecks.AppRegistration, PostureRating.Unknown, "Not checked.", "Grant it.", AdminCenterLinks.UserSettings, "Policy.Read.All"),
    ]);
}

public sealed class SqliteSnapshotHistoryTests : SnapshotHistoryTests<SqliteStore>;

public sealed class PostgresSnapshotHistoryTests : SnapshotHistoryTests<PostgresStore>;
