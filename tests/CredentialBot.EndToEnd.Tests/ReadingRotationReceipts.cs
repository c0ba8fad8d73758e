using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Rotation;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Rotation receipts through the real host, the Simulator's usage reports (beta appCredentialSignInActivities) and the
/// janitor: the rotating person learns when the new credential is first used; an old credential still used when its
/// removal is due waits for an owner ("remove anyway" / "keep 7 more days"); a tenant without the licence or the
/// permission is told once and removals go ahead as before.
/// </summary>
public sealed class ReadingRotationReceipts : IAsyncLifetime
{
    private const string PayrollName = "Payroll API";
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private static readonly string PayrollAppId = DemoTenant.AppId(1);
    private readonly BotHost _bot = new();

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();

        // Alex has the app installed, so the bot can write to Alex's 1:1 chat.
        await _bot.InstallAsync();
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task TheNewSecretsFirstUse_RedrawsTheCardItWasRotatedFrom_Once()
    {
        var (oldKey, newKey) = await RotateAsync(graceDays: 30, replyToId: "status-card-7");
        await _bot.RunJanitorAsync();
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "RotationReceipt");

        var usedAt = _bot.Time.GetUtcNow().AddMinutes(-3);
        _bot.Tenant.SignIns.Record(PayrollAppId, newKey, usedAt);
        _bot.Time.Advance(TimeSpan.FromMinutes(16));
        var before = _bot.Connector.Calls.Count;
        await _bot.RunJanitorAsync();

        var redraw = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Method == "PUT");
        Assert.Equal("status-card-7", redraw.ActivityId);
        Assert.Contains($"was first used at {usedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", AllText(redraw.Body), StringComparison.Ordinal);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RotationReceipt", Outcome: "Succeeded", ActorObjectId: "CredentialBot" } && e.Reason!.Contains(newKey, StringComparison.Ordinal));

        // A later use, a later round: the receipt was given; nobody is told again.
        _bot.Tenant.SignIns.Record(PayrollAppId, newKey, _bot.Time.GetUtcNow());
        _bot.Time.Advance(TimeSpan.FromMinutes(16));
        before = _bot.Connector.Calls.Count;
        await _bot.RunJanitorAsync();
        Assert.Equal(before, _bot.Connector.Calls.Count);
        Assert.Single(await _bot.AuditAsync(), e => e.Operation == "RotationReceipt");
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
    }

    [Fact]
    public async Task WithoutACardToRedraw_TheReceiptGoesToTheRotatingPersonsChat()
    {
        var (_, newKey) = await RotateAsync(graceDays: 30, replyToId: null);
        var usedAt = _bot.Time.GetUtcNow();
        _bot.Tenant.SignIns.Record(PayrollAppId, newKey, usedAt);
        var before = _bot.Connector.Calls.Count;

        await _bot.RunJanitorAsync();

        var sent = Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Method == "POST" && c.Cards.Count > 0);
        Assert.Equal(BotHost.PersonalConversation(BotHost.Alex), sent.ConversationId);
        Assert.Contains("Rotation receipt: Payroll API", AllText(sent.Cards[0]), StringComparison.Ordinal);
        Assert.Contains($"first used at {usedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC", AllText(sent.Cards[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOldSecretStillUsed_IsNotRemoved_AndItsOwnersAreAskedOnce()
    {
        var (oldKey, _) = await RotateAsync(graceDays: 1, replyToId: null);
        _bot.Time.Advance(TimeSpan.FromDays(1.1));
        _bot.Tenant.SignIns.Record(PayrollAppId, oldKey, _bot.Time.GetUtcNow().AddHours(-2));
        var before = _bot.Connector.Calls.Count;

        await _bot.RunJanitorAsync();

        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        var asked = StillUsedCard(before);
        Assert.Contains("still used 2 h ago", AllText(asked), StringComparison.Ordinal);
        Assert.True(HasButton(asked, "Remove anyway"));
        Assert.True(HasButton(asked, "Keep 7 more days"));
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "HoldOldCredentialRemoval", ActorObjectId: "CredentialBot" } && e.Reason!.Contains(oldKey, StringComparison.Ordinal));

        // Later rounds leave the held removal to its owners: no second question, nothing removed.
        before = _bot.Connector.Calls.Count;
        _bot.Time.Advance(TimeSpan.FromDays(3));
        await _bot.RunJanitorAsync();
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.DoesNotContain(_bot.Connector.Calls.Skip(before), c => c.Cards.Any(card => AllText(card).Contains("Still in use", StringComparison.Ordinal)));

        // The status card says the removal waits, instead of a removal date that has passed.
        before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync("status Payroll API");
        var status = AllText((await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0]);
        Assert.Contains("its removal waits for an owner, because it was still used at", status, StringComparison.Ordinal);
        Assert.Contains("replaced; still used, its removal waits for an owner", status, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAnyway_RemovesTheHeldSecret_AsThePersonWhoPressed_AndASecondPressDoesNothing()
    {
        var (oldKey, asked) = await HeldRemovalAsync();

        var answer = await _bot.ExecuteAsync("removeOldAnyway", ButtonData(asked, "Remove anyway"), BotHost.Alex, "Alex Wilber");

        Assert.Contains("Alex Wilber removed prod-secret", AllText(answer.GetProperty("value")), StringComparison.Ordinal);
        Assert.DoesNotContain(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded", ActorObjectId: BotHost.Alex });

        var again = await _bot.ExecuteAsync("removeOldAnyway", ButtonData(asked, "Remove anyway"), BotHost.Alex, "Alex Wilber");
        Assert.Contains("nothing was changed", AllText(again), StringComparison.OrdinalIgnoreCase);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded" });
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Refused", ActorObjectId: BotHost.Alex });

        // The other button of the same card, after the decision: refused, nothing changes.
        var keep = await _bot.ExecuteAsync("keepOldLonger", ButtonData(asked, "Keep 7 more days"), DemoTenant.Megan, "Megan Bowen");
        Assert.Contains("no longer waits for a decision", AllText(keep), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeepSevenMoreDays_PostponesTheRemoval_UntilTheUseIsOld()
    {
        var (oldKey, asked) = await HeldRemovalAsync();

        var answer = await _bot.ExecuteAsync("keepOldLonger", ButtonData(asked, "Keep 7 more days"), BotHost.Alex, "Alex Wilber");
        Assert.Contains("kept prod-secret of Payroll API for 7 more days", AllText(answer.GetProperty("value")), StringComparison.Ordinal);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "KeepOldCredentialLonger", Outcome: "Succeeded", ActorObjectId: BotHost.Alex });

        var again = await _bot.ExecuteAsync("keepOldLonger", ButtonData(asked, "Keep 7 more days"), BotHost.Alex, "Alex Wilber");
        Assert.Contains("nothing was changed", AllText(again), StringComparison.OrdinalIgnoreCase);
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "KeepOldCredentialLonger", Outcome: "Succeeded" });

        _bot.Time.Advance(TimeSpan.FromDays(6.9));
        await _bot.RunJanitorAsync();
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));

        // Due again, and its last use is now a week old: the janitor removes it as it always did.
        _bot.Time.Advance(TimeSpan.FromDays(0.2));
        await _bot.RunJanitorAsync();
        Assert.DoesNotContain(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded", ActorObjectId: "CredentialBot" });
    }

    [Fact]
    public async Task SomeoneWhoMayNotManageTheCredentials_CannotRemoveAnyway_EvenWithTheCardsData()
    {
        var (oldKey, asked) = await HeldRemovalAsync();

        var answer = await _bot.ExecuteAsync("removeOldAnyway", ButtonData(asked, "Remove anyway"), DemoTenant.Adele, "Adele Vance");

        Assert.Contains("not an Entra owner", AllText(answer), StringComparison.Ordinal);
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Refused", ActorObjectId: DemoTenant.Adele });
    }

    [Fact]
    public async Task WithoutAuditLogReadAll_TheTenantIsToldOnce_AndOldSecretsAreRemovedAsBefore()
    {
        _bot.Tenant.GrantedPermissions = new HashSet<string>(StringComparer.Ordinal) { "Application.ReadWrite.All", "User.Read.All", "GroupMember.Read.All", "Policy.Read.All" };

        var (oldKey, _) = await RotateAsync(graceDays: 0, replyToId: null);
        await _bot.RunJanitorAsync();

        // The demo's old secret signed in an hour ago, but without the reports nobody can know: removed as before.
        Assert.DoesNotContain(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        var told = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "UsageReportsUnavailable");
        Assert.Contains("AuditLog.Read.All", told.Reason, StringComparison.Ordinal);

        await RotateAsync(graceDays: 0, replyToId: null);
        _bot.Time.Advance(TimeSpan.FromMinutes(30));
        await _bot.RunJanitorAsync();
        Assert.Single(await _bot.AuditAsync(), e => e.Operation == "UsageReportsUnavailable");
        Assert.Single(_bot.Logs.Lines, l => l.Contains("Credential usage reports are unavailable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InATenantWithoutP1OrP2_TheTenantIsToldOnce_AndOldSecretsAreRemovedAsBefore()
    {
        _bot.Tenant.SignIns.Licensed = false;

        var (oldKey, _) = await RotateAsync(graceDays: 0, replyToId: null);
        await _bot.RunJanitorAsync();
        await _bot.RunJanitorAsync();

        Assert.DoesNotContain(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        var told = Assert.Single(await _bot.AuditAsync(), e => e.Operation == "UsageReportsUnavailable");
        Assert.Contains("Microsoft Entra ID P1 or P2", told.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WhileTheReportsAreDown_ADueRemovalWaits_ButNotForEver()
    {
        // The old secret signed in an hour ago, but an outage hides it: nobody can know, so the removal waits.
        var (oldKey, _) = await RotateAsync(graceDays: 1, replyToId: null);
        _bot.Tenant.SignIns.Down = true;
        _bot.Time.Advance(TimeSpan.FromDays(1.1));
        await _bot.RunJanitorAsync();
        _bot.Time.Advance(TimeSpan.FromHours(12));
        await _bot.RunJanitorAsync();
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "RemoveOldSecret");

        // A day past due the outage no longer keeps the old secret alive: removed as in a tenant without the reports,
        // and the audit trail says it was not checked. An outage is no missing licence: nobody is told it is unavailable.
        _bot.Time.Advance(TimeSpan.FromHours(12));
        await _bot.RunJanitorAsync();
        Assert.DoesNotContain(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        var removed = Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded", ActorObjectId: "CredentialBot" });
        Assert.Contains("removed without a usage check: the usage reports did not answer for 1 day after it was due", removed.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "UsageReportsUnavailable");
    }

    [Fact]
    public async Task TwoJanitorsWorkingAtOnce_GiveOneReceipt_AndAskOnce()
    {
        // Two instances whose janitor rounds overlap (the lease is bypassed here): the store's conditional updates decide.
        var (oldKey, newKey) = await RotateAsync(graceDays: 1, replyToId: null);
        _bot.Tenant.SignIns.Record(PayrollAppId, newKey, _bot.Time.GetUtcNow());
        _bot.Time.Advance(TimeSpan.FromDays(1.1));
        _bot.Tenant.SignIns.Record(PayrollAppId, oldKey, _bot.Time.GetUtcNow().AddHours(-2));
        var before = _bot.Connector.Calls.Count;

        var now = _bot.Time.GetUtcNow();
        await _bot.Time.RunAsync(() => Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await using var scope = _bot.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<RotationReceipts>().RunAsync(now, CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<OldSecretRemovals>().RunAsync(now, CancellationToken.None);
        }))));

        var audit = await _bot.AuditAsync();
        Assert.Single(audit, e => e.Operation == "RotationReceipt");
        Assert.Single(audit, e => e.Operation == "HoldOldCredentialRemoval");
        Assert.Single(_bot.Connector.Calls.Skip(before), c => c.Cards.Any(card => AllText(card).Contains("Rotation receipt", StringComparison.Ordinal)));
        StillUsedCard(before);
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
    }

    /// <summary>Rotates Payroll API's secret as Alex; the answer is the old and the new key ids.</summary>
    private async Task<(string OldKey, string NewKey)> RotateAsync(int graceDays, string? replyToId)
    {
        var before = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId).ToHashSet();
        var oldKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.OrderBy(c => c.EndDateTime).First().KeyId;
        var calls = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync($"status {PayrollName}");
        var status = (await _bot.Connector.WaitForCallsAsync(calls + 1))[calls].Cards[0];
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(status, "Rotate now") }, BotHost.Alex, "Alex Wilber");
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(DialogCard(opened), "Create the new secret", ("lifetime", "90"), ("grace", graceDays.ToString(System.Globalization.CultureInfo.InvariantCulture))), BotHost.Alex, "Alex Wilber", replyToId: replyToId);
        Assert.NotNull(InputValue(DialogCard(answer), "secretValue"));
        var newKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single(c => !before.Contains(c.KeyId)).KeyId;
        return (oldKey, newKey);
    }

    /// <summary>A rotation whose old secret was used 2 h before its removal was due: held, and Alex asked.</summary>
    private async Task<(string OldKey, JsonElement Asked)> HeldRemovalAsync()
    {
        var (oldKey, _) = await RotateAsync(graceDays: 1, replyToId: null);
        _bot.Time.Advance(TimeSpan.FromDays(1.1));
        _bot.Tenant.SignIns.Record(PayrollAppId, oldKey, _bot.Time.GetUtcNow().AddHours(-2));
        var before = _bot.Connector.Calls.Count;
        await _bot.RunJanitorAsync();
        return (oldKey, StillUsedCard(before));
    }

    private JsonElement StillUsedCard(int after) =>
        Assert.Single(_bot.Connector.Calls.Skip(after), c => c.ConversationId == BotHost.PersonalConversation(BotHost.Alex) && c.Cards.Any(card => AllText(card).Contains("Still in use", StringComparison.Ordinal))).Cards[0];
}
