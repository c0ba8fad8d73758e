using CredentialBot.TestKit.Postgres;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// On PostgreSQL every batch commits on its own, even with the next ones waiting and nobody waiting here: people
/// acting on another instance are not counted by this one, and would wait on the rows a longer transaction holds.
/// </summary>
public sealed class CommittingEachBatchOnPostgres : IAsyncLifetime
{
    /// <summary>The audit chain's key, as a deployment of several instances keeps it.</summary>
    private static readonly string AuditKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private readonly HeldListing _listing = new();
    private BotHost _bot = null!;

    public async Task InitializeAsync()
    {
        var database = await (await PostgresCluster.Shared).CreateDatabaseAsync("batches");
        _bot = new BotHost()
            .With("Store:Provider", "Postgres")
            .With("Store:ConnectionString", database)
            .With("Audit:ChainKey", AuditKey)
            .With("Audit:CheckpointPath", Path.Combine(Path.GetTempPath(), $"cb-checkpoints-{Guid.NewGuid():N}"))
            .With("Scanner:BatchSize", HeldListing.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Scanner:BatchesPerTransaction", "2")
            .WithServices(_listing.Install);
        await _bot.InitializeAsync();
        _listing.Arm(_bot);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    [Fact]
    public async Task WithTheNextBatchesWaitingAndNobodyWaitingHere_EachBatchStillCommitsOnItsOwn()
    {
        var seen = await _listing.ScanWatchingTheSecondBatchAsync(_bot);

        Assert.False(seen.ThirdBatchStored, "the second batch was committed alone");
        await _listing.AssertEveryListedAppIsStoredAsync(_bot);
    }
}
