using FakeClock = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace CredentialBot.Directory.Tests;

/// <summary>
/// The keyCredentials budget shares Graph's cap between background work and requests a person waits on: background
/// work keeps its hands off the reserved share and yields the moment an interactive request waits. The clock is fake:
/// nothing here depends on how fast the machine is.
/// </summary>
public sealed class KeyCredentialBudgetTests : IDisposable
{
    private readonly FakeClock _clock = new();
    private readonly KeyCredentialBudget _budget;

    public KeyCredentialBudgetTests()
    {
        _budget = new KeyCredentialBudget(requests: 10, TimeSpan.FromMinutes(1), interactiveReserve: 3, _clock);
    }

    public void Dispose() => _budget.Dispose();

    [Fact]
    public void BackgroundWork_StopsShortOfTheReservedShare()
    {
        var background = Enumerable.Range(0, 12).Select(_ => _budget.AdmitAsync(interactive: false, CancellationToken.None)).ToList();

        Assert.Equal(7, background.Count(t => t.IsCompletedSuccessfully));
        Assert.Equal(5, _budget.WaitingBackground);
    }

    [Fact]
    public void AnInteractiveRequest_StartsAtOnce_WhileBackgroundWorkWaitsForTheWindow()
    {
        var background = Enumerable.Range(0, 12).Select(_ => _budget.AdmitAsync(interactive: false, CancellationToken.None)).ToList();

        var interactive = Enumerable.Range(0, 3).Select(_ => _budget.AdmitAsync(interactive: true, CancellationToken.None)).ToList();

        Assert.All(interactive, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(5, _budget.WaitingBackground);
    }

    [Fact]
    public void BackgroundWork_Yields_ToAnInteractiveRequestWaitingForTheCap()
    {
        var first = Enumerable.Range(0, 7).Select(_ => _budget.AdmitAsync(interactive: false, CancellationToken.None)).ToList();
        var interactive = Enumerable.Range(0, 4).Select(_ => _budget.AdmitAsync(interactive: true, CancellationToken.None)).ToList();
        var queuedBackground = _budget.AdmitAsync(interactive: false, CancellationToken.None);
        Assert.False(interactive[3].IsCompleted);

        // The window frees every slot at once: the interactive request that waited goes first, then background work.
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2));

        Assert.True(interactive[3].IsCompletedSuccessfully);
        Assert.True(queuedBackground.IsCompletedSuccessfully);
        Assert.Equal(4, _budget.AdmittedInteractive);
        Assert.Equal(8, _budget.AdmittedBackground);
    }

    [Fact]
    public void AStart_LeavesTheWindowOnlyAfterTheWindowAndItsMargin()
    {
        Fill(7, interactive: false);
        var waiting = _budget.AdmitAsync(interactive: false, CancellationToken.None);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.False(waiting.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(waiting.IsCompletedSuccessfully);
    }

    [Fact]
    public void InteractiveRequests_MayUseTheWholeCap_WhenBackgroundWorkLeavesIt()
    {
        var interactive = Enumerable.Range(0, 11).Select(_ => _budget.AdmitAsync(interactive: true, CancellationToken.None)).ToList();

        Assert.Equal(10, interactive.Count(t => t.IsCompletedSuccessfully));
        Assert.False(interactive[10].IsCompleted);
    }

    [Fact]
    public async Task AWaiterThatGivesUp_IsCancelled_AndNoLongerHoldsAnyoneBack()
    {
        Fill(10, interactive: true);
        using var giveUp = new CancellationTokenSource();
        var abandoned = _budget.AdmitAsync(interactive: true, giveUp.Token);
        var background = _budget.AdmitAsync(interactive: false, CancellationToken.None);

        await giveUp.CancelAsync();
        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(2));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        Assert.True(background.IsCompletedSuccessfully);
    }

    private void Fill(int requests, bool interactive)
    {
        for (var i = 0; i < requests; i++)
        {
            Assert.True(_budget.AdmitAsync(interactive, CancellationToken.None).IsCompletedSuccessfully);
        }
    }
}
