using System.Text.Json;
using System.Text.RegularExpressions;
using CredentialBot.Simulator;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// The compliance summary counts credentials nobody signed in with for 90 days, from one tenant-wide listing of the
/// Simulator's beta usage reports taken by the janitor; a tenant without the reports reads why instead.
/// </summary>
public sealed partial class CountingUnusedCredentials : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost().With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup);

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task ACredentialUsedSinceTheLastCount_IsNoLongerCountedAsUnused()
    {
        await _bot.RunJanitorAsync();
        var (unused, total) = await UnusedAsync();
        Assert.InRange(unused, 1, total);

        // HR Portal's secret is a year old and nobody signed in with it; now something does.
        var hrPortal = _bot.Tenant.Find(DemoTenant.ObjectId(3))!;
        _bot.Tenant.SignIns.Record(hrPortal.AppId!, hrPortal.PasswordCredentials[0].KeyId, _bot.Time.GetUtcNow());
        _bot.Time.Advance(TimeSpan.FromHours(1));
        await _bot.RunJanitorAsync();
        Assert.Equal((unused, total), await UnusedAsync());

        // The next count (every Receipts:SurveyInterval) sees it.
        _bot.Time.Advance(TimeSpan.FromHours(12));
        await _bot.RunJanitorAsync();
        Assert.Equal((unused - 1, total), await UnusedAsync());
    }

    [Fact]
    public async Task InATenantWithoutP1OrP2_TheSummarySaysWhyThereIsNoCount()
    {
        _bot.Tenant.SignIns.Licensed = false;

        await _bot.RunJanitorAsync();

        var card = await ComplianceAsync();
        Assert.Contains("Credential usage reports need Microsoft Entra ID P1 or P2", AllText(card), StringComparison.Ordinal);
        Assert.DoesNotContain("Unused for 90 days", AllText(card), StringComparison.Ordinal);
    }

    private async Task<(int Unused, int Total)> UnusedAsync()
    {
        var match = UnusedFact().Match(AllText(await ComplianceAsync()));
        Assert.True(match.Success, "The compliance summary has no unused-credentials count.");
        return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<JsonElement> ComplianceAsync()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("compliance", DemoTenant.Megan, "Megan Bowen");
        var reply = (await _bot.Connector.WaitForCallsAsync(before + 1))[before];
        Assert.True(reply.Cards.Count > 0, reply.Text);
        return reply.Cards[0];
    }

    [GeneratedRegex(@"(\d+) of (\d+) credentials")]
    private static partial Regex UnusedFact();
}
