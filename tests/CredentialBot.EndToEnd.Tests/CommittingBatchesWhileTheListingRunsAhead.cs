using CredentialBot.Shared.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// On SQLite a scan's writer that has fallen behind the listing commits less often: while the next batch is already
/// waiting and nobody waits for the bot's answer, batches share a transaction, up to Scanner:BatchesPerTransaction.
/// While a person waits, every batch commits on its own, so their write never waits behind more than the batch being
/// written. The listing is held so that the next two batches are known to wait (<see cref="HeldListing"/>).
/// </summary>
public sealed class CommittingBatchesWhileTheListingRunsAhead : IAsyncLifetime
{
    private readonly HeldListing _listing = new();
    private readonly BotHost _bot;

    public CommittingBatchesWhileTheListingRunsAhead() =>
        _bot = new BotHost()
            .With("Scanner:BatchSize", HeldListing.BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Scanner:BatchesPerTransaction", "2")
            .WithServices(_listing.Install);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        _listing.Arm(_bot);
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task WithTheNextBatchesWaitingAndNobodyWaitingForAnAnswer_TwoBatchesCommitTogether_AndNoMore()
    {
        var seen = await _listing.ScanWatchingTheSecondBatchAsync(_bot);

        Assert.True(seen.ThirdBatchStored, "the third batch was committed with the second");
        Assert.False(seen.FourthBatchStored, "Scanner:BatchesPerTransaction is 2, so the fourth batch waited for the next transaction");
        await _listing.AssertEveryListedAppIsStoredAsync(_bot);
    }

    [Fact]
    public async Task WhileAPersonWaitsForAnAnswer_EachBatchCommitsOnItsOwn_EvenWithTheNextOnesWaiting()
    {
        using (_bot.Services.GetRequiredService<PeopleWaiting>().Begin())
        {
            var seen = await _listing.ScanWatchingTheSecondBatchAsync(_bot);

            Assert.False(seen.ThirdBatchStored, "the second batch was committed alone");
        }

        await _listing.AssertEveryListedAppIsStoredAsync(_bot);
    }
}
