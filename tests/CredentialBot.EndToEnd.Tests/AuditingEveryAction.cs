using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// No action without its audit event (issue 11.5), through the real host on SQLite: an action and its event commit
/// together or not at all, however many people press at once.
/// </summary>
public sealed class AuditingEveryAction : IAsyncLifetime
{
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private readonly BotHost _bot = new();

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task SixtyPeoplePressingAtOnce_EachGetAnAnswer_AndEachPressHasExactlyOneEvent_InAnIntactChain()
    {
        var before = (await _bot.AuditAsync()).Count;
        var keys = PayrollKeys();

        // Thirty snoozes by an owner (each one a write and its event) and thirty refusals (an event alone), interleaved.
        var presses = Enumerable.Range(0, 60).Select(i => i % 2 == 0
            ? PressSnoozeAsync(keys[i / 2 % keys.Count], BotHost.Alex, "Alex Wilber")
            : PressSnoozeAsync(keys[0], DemoTenant.Adele, "Adele Vance"));
        var answers = await Task.WhenAll(presses);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.False(a.Body.TryGetProperty("statusCode", out var code) && code.GetInt32() >= 500, a.Body.GetRawText()));
        var events = (await _bot.AuditAsync()).Skip(before).ToList();
        Assert.Equal(60, events.Count);
        Assert.Equal(30, events.Count(e => e is { Operation: "SnoozeNotices", Outcome: "Succeeded", ActorObjectId: BotHost.Alex }));
        Assert.Equal(30, events.Count(e => e is { Operation: "SnoozeNotices", Outcome: "Refused", ActorObjectId: DemoTenant.Adele }));
        Assert.True((await VerifyAsync()).Intact);
        Assert.Equal(keys.Count, await SnoozedCountAsync());
    }

    [Fact]
    public async Task ASnoozeWhoseAuditEventCannotBeWritten_StoresNothing_AndSaysSomethingWentWrong()
    {
        // The database itself refuses the event, after the snooze's write.
        await _bot.RefuseAuditEventsAsync("SnoozeNotices");

        var answer = await PressSnoozeAsync(PayrollKeys()[0], BotHost.Alex, "Alex Wilber");

        Assert.Equal(500, answer.Body.GetProperty("statusCode").GetInt32());
        Assert.DoesNotContain("Snoozed", answer.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(0, await SnoozedCountAsync());
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "SnoozeNotices");
        Assert.True((await VerifyAsync()).Intact);
    }

    private List<string> PayrollKeys() => [.. _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId)];

    private async Task<(HttpStatusCode Status, JsonElement Body)> PressSnoozeAsync(string key, string userObjectId, string userName) =>
        await _bot.InvokeAsync("adaptiveCard/action", new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = "snooze",
                ["data"] = new JsonObject { ["app"] = Payroll, ["keys"] = new JsonArray(key), ["days"] = 7, ["digest"] = new JsonArray(Payroll) },
            },
            ["trigger"] = "manual",
        }, userObjectId, userName);

    private async Task<int> SnoozedCountAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<SnoozeStore>().ActiveForAsync([Payroll])).Count;
    }

    private async Task<AuditVerification> VerifyAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync();
    }
}
