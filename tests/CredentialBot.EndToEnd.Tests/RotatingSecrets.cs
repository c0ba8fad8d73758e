using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// "Rotate now" from the status card: the dialog, Graph addPassword, the value shown once to the requester only,
/// the card redrawn for everyone, the old secret removed after the grace period, and every refusal audited.
/// </summary>
public sealed class RotatingSecrets : IAsyncLifetime
{
    private const string PayrollName = "Payroll API";
    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private readonly SecretRemovalOutage _removalOutage = new();
    private readonly BotHost _bot;

    public RotatingSecrets() => _bot = new BotHost().WithServices(_removalOutage.Install);

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AnEntraOwner_RotatesASecret_AndSeesTheValueOnce_InTheDialog()
    {
        var oldKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single().KeyId;
        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        Assert.Equal(oldKey, InputValue(form, "replace"));

        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "7")), BotHost.Alex, "Alex Wilber", replyToId: "status-card-1");

        var shown = DialogCard(answer);
        var secret = InputValue(shown, "secretValue")!;
        var added = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single(c => c.KeyId != oldKey);
        Assert.Equal(added.Hint, secret[..3]);
        Assert.InRange((added.EndDateTime - _bot.Time.GetUtcNow()).TotalDays, 89.9, 90.1);
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.Contains("shown only this once", AllText(shown), StringComparison.Ordinal);

        var update = Assert.Single(_bot.Connector.Calls, c => c.Method == "PUT");
        Assert.Equal("status-card-1", update.ActivityId);
        Assert.Contains("Rotated by Alex Wilber at", AllText(update.Body), StringComparison.Ordinal);
        Assert.Contains("the old secret is removed on", AllText(update.Body), StringComparison.Ordinal);

        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Succeeded", ActorObjectId: BotHost.Alex } && e.Reason!.Contains(added.KeyId, StringComparison.Ordinal));
        await AssertSecretAppearsNowhereAsync(secret);
    }

    [Fact]
    public async Task AClientWithoutDialogs_GetsTheDialogInTheChat_AndTheSecretOnlyInItsOwnInvokeAnswer()
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync($"status {PayrollName}");
        var status = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];

        // What the Agents Playground does with a task/fetch button: it posts the button's data as a message.
        await _bot.PressButtonAsync(ButtonData(status, "Rotate now"));
        var form = (await _bot.Connector.WaitForCallsAsync(before + 2))[before + 1].Cards[0];
        var submit = Submit(form, "Create the new secret", ("lifetime", "30"), ("grace", "0"))["data"]!;
        var answer = await _bot.ExecuteAsync("dialog", submit, BotHost.Alex, "Alex Wilber");

        var secret = InputValue(answer.GetProperty("value"), "secretValue")!;
        Assert.Equal(2, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count);

        // The demo's old secret signed in an hour ago: it is removed once that use is older than Receipts:RecentUse.
        _bot.Time.Advance(TimeSpan.FromDays(3));
        await _bot.RunJanitorAsync();
        Assert.Single(_bot.Tenant.Find(Payroll)!.PasswordCredentials);
        await AssertSecretAppearsNowhereAsync(secret);
    }

    [Fact]
    public async Task TheOldSecret_IsRemovedByTheJanitor_WhenTheGracePeriodEnds()
    {
        var oldKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single().KeyId;
        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "3")), BotHost.Alex, "Alex Wilber");

        _bot.Time.Advance(TimeSpan.FromDays(2));
        await _bot.RunJanitorAsync();
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));

        _bot.Time.Advance(TimeSpan.FromDays(1.01));
        await _bot.RunJanitorAsync();
        await _bot.RunJanitorAsync();

        Assert.DoesNotContain(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RemoveOldSecret", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task AnOwnerCanKeepTheOldSecret_CancellingItsRemoval()
    {
        var oldKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single().KeyId;
        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "3")), BotHost.Alex, "Alex Wilber", replyToId: "status-card-1");
        var redrawn = Assert.Single(_bot.Connector.Calls, c => c.Method == "PUT").Cards[0];

        var kept = await _bot.ExecuteAsync("cancelRemoval", ButtonData(redrawn, "Keep prod-secret"), BotHost.Alex, "Alex Wilber");
        _bot.Time.Advance(TimeSpan.FromDays(4));
        await _bot.RunJanitorAsync();

        Assert.Contains("kept prod-secret", AllText(kept), StringComparison.Ordinal);
        Assert.Contains(oldKey, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "CancelSecretRemoval", Outcome: "Succeeded" });
    }

    [Fact]
    public async Task ARotationWhoseEventCannotBeWritten_RemovesTheNewSecretAgain_AndSchedulesNoRemovalOfTheOldOne()
    {
        var oldKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single().KeyId;
        var stored = await StoredCredentialsAsync();
        // The database itself refuses the rotation's event, after the removal and the receipt were written in the
        // same change (the snapshot is written only after that change commits).
        await _bot.RefuseAuditEventsAsync("RotateSecret", "Succeeded");

        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "3")), BotHost.Alex, "Alex Wilber");
        _bot.Time.Advance(TimeSpan.FromDays(4));
        await _bot.RunJanitorAsync();

        Assert.DoesNotContain("secretValue", answer.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("could not record the new secret, so it removed it from Entra again", AllText(DialogCard(answer)), StringComparison.Ordinal);
        // No credential exists that the trail does not know: Entra holds the old secret and nothing else.
        Assert.Equal([oldKey], _bot.Tenant.Find(Payroll)!.PasswordCredentials.Select(c => c.KeyId));
        await using (var scope = _bot.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
            Assert.Equal(0, await db.SecretRemovals.CountAsync());
            Assert.Equal(0, await db.RotationReceipts.CountAsync());
        }

        Assert.Equal(stored, await StoredCredentialsAsync());
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Succeeded" } or { Operation: "RemoveOldSecret" });
        var failed = Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Failed" });
        Assert.Matches("^New secret [0-9a-f-]{36} removed again: the change could not be recorded$", failed.Reason);
    }

    [Fact]
    public async Task ARotationWhoseEventCannotBeWritten_NorItsSecretRemoved_SaysSoWithTheKeyId_AndNeverShowsTheValue()
    {
        var oldKey = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single().KeyId;
        await _bot.RefuseAuditEventsAsync("RotateSecret", "Succeeded");
        _removalOutage.Refusing = true;

        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "3")), BotHost.Alex, "Alex Wilber");

        var orphan = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Single(c => c.KeyId != oldKey).KeyId;
        Assert.DoesNotContain("secretValue", answer.GetRawText(), StringComparison.Ordinal);
        Assert.Contains($"Ask an admin to remove the secret with key id {orphan} from Payroll API in Entra", AllText(DialogCard(answer)), StringComparison.Ordinal);
        var failed = Assert.Single(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Failed" });
        Assert.Equal($"New secret {orphan} created but the change could not be recorded, and removing the secret failed: remove it in Entra", failed.Reason);
        Assert.Contains(_bot.Logs.Lines, line => line.Contains(orphan, StringComparison.Ordinal) && line.Contains("removing it failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SomeoneWhoMayNotRotate_IsOfferedElevation_AndTheRefusalIsAudited()
    {
        var form = await OpenRotateDialogAsync(DemoTenant.Adele, "Adele Vance");

        Assert.Contains("Request elevation", AllText(form), StringComparison.Ordinal);
        Assert.False(HasButton(form, "Create the new secret"));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Refused", ActorObjectId: DemoTenant.Adele });
    }

    [Fact]
    public async Task ASubmitFromSomeoneWhoMayNotRotate_IsRefused_EvenWithAnOwnersIdInTheCardData()
    {
        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        var forged = Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "7"));
        forged["data"]!["aadObjectId"] = BotHost.Alex;
        forged["data"]!["from"] = new JsonObject { ["aadObjectId"] = BotHost.Alex };
        var before = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count;

        var (_, answer) = await _bot.InvokeAsync("task/submit", forged, DemoTenant.Adele, "Adele Vance");

        Assert.Contains("You cannot rotate", AllText(DialogCard(answer)), StringComparison.Ordinal);
        Assert.Equal(before, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Refused", ActorObjectId: DemoTenant.Adele });
    }

    [Fact]
    public async Task ALifetimeOverThePolicyMaximum_IsRefused_SayingWhy_AndAudited()
    {
        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        var before = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count;

        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "730"), ("grace", "7")), BotHost.Alex, "Alex Wilber");

        Assert.Contains("730 days is longer than policy", AllText(DialogCard(answer)), StringComparison.Ordinal);
        Assert.Equal(before, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Refused" } && e.Reason!.Contains("730 days", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheTenantsOwnLifetimeLimit_NarrowsTheChoices()
    {
        _bot.Tenant.SecretLifetimeLimit = TimeSpan.FromDays(90);

        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "180"), ("grace", "7")), BotHost.Alex, "Alex Wilber");

        Assert.DoesNotContain("180 days", AllText(form), StringComparison.Ordinal);
        Assert.Contains("tenant's app-management policy", AllText(DialogCard(answer)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALimitTightenedWhileTheFormIsOpen_CreatesNoLongerSecret_AndTheNextFormKnowsIt()
    {
        // The form was drawn under no limit, and the bot keeps the limit it read for a few minutes. The tenant now
        // allows 90 days; the submit asks for 180. Entra, not the kept limit, decides.
        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        _bot.Tenant.SecretLifetimeLimit = TimeSpan.FromDays(90);
        var before = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count;

        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("lifetime", "180"), ("grace", "7")), BotHost.Alex, "Alex Wilber");

        Assert.Contains("The secret was not created", AllText(DialogCard(answer)), StringComparison.Ordinal);
        Assert.Equal(before, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Failed" } && e.Reason!.Contains("app management policy", StringComparison.Ordinal));
        var again = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        Assert.DoesNotContain("180 days", AllText(again), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherAppsSecretSwappedIntoTheDialog_IsRefused_AndAudited()
    {
        var form = await OpenRotateDialogAsync(BotHost.Alex, "Alex Wilber");
        var foreignKey = _bot.Tenant.Find(DemoTenant.ObjectId(5))!.PasswordCredentials[0].KeyId;

        var (_, answer) = await _bot.InvokeAsync("task/submit", Submit(form, "Create the new secret", ("replace", foreignKey), ("lifetime", "90"), ("grace", "7")), BotHost.Alex, "Alex Wilber");

        Assert.Contains("not one of Payroll API's secrets", AllText(DialogCard(answer)), StringComparison.Ordinal);
        Assert.Single(_bot.Tenant.Find(Payroll)!.PasswordCredentials);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "RotateSecret", Outcome: "Refused" } && e.Reason!.Contains("not one of this app's secrets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACertificate_OpensTheWayToRotateIt_NotTheSecretForm()
    {
        var certificate = _bot.Tenant.Find(Payroll)!.KeyCredentials.Single().KeyId;
        var button = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "rotate", ["app"] = Payroll, ["subject"] = certificate };

        var (_, answer) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = button }, BotHost.Alex, "Alex Wilber");

        Assert.True(HasButton(DialogCard(answer), "Rotate this certificate"));
    }

    [Fact]
    public async Task AnUnknownDialog_IsA400WithAReason()
    {
        var (status, body) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = new JsonObject { ["dialog"] = "format-disk", ["app"] = Payroll } }, BotHost.Alex, "Alex Wilber");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("no dialog named", body.GetRawText(), StringComparison.Ordinal);
    }

    private async Task<int> StoredCredentialsAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>().Credentials.CountAsync(c => c.AppObjectId == Payroll);
    }

    private async Task<JsonElement> OpenRotateDialogAsync(string userObjectId, string userName)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync($"status {PayrollName}", BotHost.Alex, "Alex Wilber");
        var status = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        var (_, answer) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = ButtonData(status, "Rotate now"), ["context"] = new JsonObject { ["theme"] = "default" } }, userObjectId, userName);
        return DialogCard(answer);
    }

    /// <summary>The secret is in no message sent to Teams, no log line, and no byte of the database.</summary>
    private async Task AssertSecretAppearsNowhereAsync(string secret)
    {
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.Body.GetRawText().Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(await _bot.AuditAsync(), e => $"{e.Reason} {e.Ticket}".Contains(secret, StringComparison.Ordinal));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in System.IO.Directory.GetFiles(Path.GetDirectoryName(_bot.DatabasePath)!, "e2e.db*"))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.False(bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(secret)) >= 0, $"The secret is in {file}");
        }
    }
}
