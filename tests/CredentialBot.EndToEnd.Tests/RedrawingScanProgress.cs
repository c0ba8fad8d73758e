using CredentialBot.Simulator;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Issue 17: "scan now" sometimes ended "The scan started by … failed" because its progress redraw read the store
/// through the scan's own DbContext while the scan wrote ("A second operation was started on this context
/// instance"). Here every batch is reported and redrawn while the next batch is written; the scan must finish.
/// </summary>
public sealed class RedrawingScanProgress : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost().With("Scanner:BatchSize", "10").With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();

        // New apps since the start-up scan: the chat scan reads them as a delta, ten per batch, reporting each batch.
        var now = _bot.Time.GetUtcNow();
        for (var i = 0; i < 300; i++)
        {
            _bot.Tenant.Add(new SimObject
            {
                Id = $"9e9e9e9e-0000-4000-8000-{i:D12}",
                AppId = $"9f9f9f9f-0000-4000-8000-{i:D12}",
                DisplayName = $"Batch App {i:D3}",
                Kind = SimObjectKind.Application,
                CreatedDateTime = now,
                PasswordCredentials = [new SimCredential(Guid.NewGuid().ToString(), "s", now.AddDays(-300), now.AddDays(20 + (i % 40)), "s")],
                OwnerIds = [DemoTenant.Isaiah],
            });
        }
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task ScanNow_RedrawsProgressWhileTheScanWrites_AndFinishes()
    {
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
        using (var response = await _bot.SendMessageAsync("scan now", BotHost.Megan, "Megan Bowen"))
        {
            Assert.True(response.IsSuccessStatusCode);
        }

        // Every look at the clock moves it on, so every progress report is two seconds after the previous redraw.
        _bot.Time.AutoAdvanceAmount = TimeSpan.FromSeconds(3);
        var last = await Eventually.WaitAsync(
            () => _bot.Connector.Calls.LastOrDefault(c => c.Method == "PUT" && (CardReading.AllText(c.Body).Contains("Scan finished", StringComparison.Ordinal) || CardReading.AllText(c.Body).Contains("Scan failed", StringComparison.Ordinal))),
            attempts: 1200);
        _bot.Time.AutoAdvanceAmount = TimeSpan.Zero;

        Assert.Contains("Scan finished", CardReading.AllText(last.Body), StringComparison.Ordinal);
        Assert.True(_bot.Connector.Calls.Count(c => c.Method == "PUT" && CardReading.AllText(c.Body).Contains("stored so far", StringComparison.Ordinal)) >= 3, "progress was redrawn while the scan ran");
        Assert.DoesNotContain(_bot.Logs.Lines, line => line.Contains("second operation", StringComparison.OrdinalIgnoreCase));

        // The finished card is the last one: no progress redraw lands after it.
        Assert.Same(last, _bot.Connector.Calls.Last(c => c.Method == "PUT"));
    }
}
