using System.Text.Json;
using System.Text.Json.Nodes;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Confirms are one-shot (issue 11.6): every confirm-type card carries a one-time id; the first press acts, any later
/// press of the same card — a double click, a retry, a second admin, presses at the same moment — is told who did it
/// when, is audited, and changes nothing.
/// </summary>
public sealed class ConfirmingOnce : IAsyncLifetime
{
    private const string Csv = """
        app,kind,person,ManageCredentials
        1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true
        5f0c1a2b-7d3e-4a51-9b2c-000000000007,business,lynner@example.com,false
        """;

    private static readonly string Payroll = DemoTenant.ObjectId(1);
    private static readonly string HrPortal = DemoTenant.ObjectId(3);

    // Megan is an admin through the admin group; Patti is a second admin by object id.
    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup)
        .With("Authorization:AdminObjectIds:0", DemoTenant.Patti);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task ImportOwners_DoubleClicked_ImportsOnce_AndTheSecondPressSaysWhoImportedWhen()
    {
        var confirm = await ImportButtonAsync();

        var first = AllText(await _bot.ExecuteAsync("importOwners", confirm, BotHost.Megan, "Megan Bowen"));
        var second = AllText(await _bot.ExecuteAsync("importOwners", confirm, BotHost.Megan, "Megan Bowen"));

        Assert.Contains("Imported 2 owners", first, StringComparison.Ordinal);
        Assert.Contains("Already imported", second, StringComparison.Ordinal);
        Assert.Contains("already done by Megan Bowen at ", second, StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Equal(2, audit.Count(e => e is { Operation: "AddOwner", Outcome: "Succeeded" }));
        Assert.Single(audit, e => e is { Operation: "Admin:import owners", Outcome: "Refused", ActorObjectId: BotHost.Megan } && e.Reason!.StartsWith("Confirmed again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASecondAdmin_PressingTheSameImportCard_IsToldItIsDone_AndImportsNothing()
    {
        var confirm = await ImportButtonAsync();
        await _bot.ExecuteAsync("importOwners", confirm, BotHost.Megan, "Megan Bowen");

        var second = AllText(await _bot.ExecuteAsync("importOwners", confirm, DemoTenant.Patti, "Patti Fernandez"));

        Assert.Contains("already done by Megan Bowen", second, StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Equal(2, audit.Count(e => e is { Operation: "AddOwner", Outcome: "Succeeded" }));
        Assert.DoesNotContain(audit, e => e is { Operation: "AddOwner", ActorObjectId: DemoTenant.Patti });
        Assert.Contains(audit, e => e is { Operation: "Admin:import owners", Outcome: "Refused", ActorObjectId: DemoTenant.Patti });
    }

    [Fact]
    public async Task SixPressesAtTheSameMoment_ImportExactlyOnce()
    {
        var confirm = await ImportButtonAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? _bot.ExecuteAsync("importOwners", confirm, BotHost.Megan, "Megan Bowen")
            : _bot.ExecuteAsync("importOwners", confirm, DemoTenant.Patti, "Patti Fernandez")));

        var texts = answers.Select(AllText).ToList();
        Assert.Single(texts, t => t.Contains("Imported 2 owners", StringComparison.Ordinal));
        Assert.Equal(5, texts.Count(t => t.Contains("Already imported", StringComparison.Ordinal)));
        Assert.Equal(2, (await _bot.AuditAsync()).Count(e => e is { Operation: "AddOwner", Outcome: "Succeeded" }));
        await using var scope = _bot.Services.CreateAsyncScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<AuditLog>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task APolicyForm_SavedTwice_SavesOnlyTheFirst()
    {
        var form = await OpenDialogAsync(ButtonData(await AskAsync("policy Default app registrations", BotHost.Megan, "Megan Bowen"), "Edit"), BotHost.Megan, "Megan Bowen");

        var (_, saved) = await _bot.InvokeAsync("task/submit", Submit(form, "Save policy", ("stages", "45,14,7,1")), BotHost.Megan, "Megan Bowen");
        var (_, again) = await _bot.InvokeAsync("task/submit", Submit(form, "Save policy", ("stages", "60,30,7")), DemoTenant.Patti, "Patti Fernandez");

        Assert.Contains("Saved by Megan Bowen", AllText(DialogCard(saved)), StringComparison.Ordinal);
        Assert.Contains("already done by Megan Bowen", DialogMessage(again), StringComparison.Ordinal);
        Assert.Contains("45 days, 14 days, 7 days, 1 day", AllText(await AskAsync("policy Default app registrations", BotHost.Megan, "Megan Bowen")), StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Single(audit, e => e is { Operation: "EditPolicy", Outcome: "Succeeded" });
        Assert.Contains(audit, e => e is { Operation: "EditPolicy", Outcome: "Refused", ActorObjectId: DemoTenant.Patti });
    }

    [Fact]
    public async Task ARotateForm_SubmittedTwiceAtOnce_CreatesOneSecret()
    {
        var secretsBefore = _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count;
        var status = await AskAsync("status Payroll API", BotHost.Alex, "Alex Wilber");
        var form = await OpenDialogAsync(ButtonData(status, "Rotate now"), BotHost.Alex, "Alex Wilber");
        var submit = Submit(form, "Create the new secret", ("lifetime", "90"), ("grace", "7"));

        var answers = await Task.WhenAll(
            _bot.InvokeAsync("task/submit", submit, BotHost.Alex, "Alex Wilber"),
            _bot.InvokeAsync("task/submit", submit, BotHost.Alex, "Alex Wilber"));

        Assert.Equal(secretsBefore + 1, _bot.Tenant.Find(Payroll)!.PasswordCredentials.Count);
        var texts = answers.Select(a => AllText(DialogCard(a.Body))).ToList();
        Assert.Single(texts, t => t.Contains("already done by Alex Wilber", StringComparison.Ordinal));
        var audit = await _bot.AuditAsync();
        Assert.Single(audit, e => e is { Operation: "RotateSecret", Outcome: "Succeeded" });
        Assert.Single(audit, e => e is { Operation: "RotateSecret", Outcome: "Confirmed" });
        Assert.Single(audit, e => e is { Operation: "RotateSecret", Outcome: "Refused" });
    }

    [Fact]
    public async Task ATransferForm_SubmittedTwice_AsksForApprovalOnce()
    {
        var button = new JsonObject { ["msteams"] = new JsonObject { ["type"] = "task/fetch" }, ["dialog"] = "owner", ["app"] = HrPortal, ["mode"] = "transfer" };
        var form = await OpenDialogAsync(button, BotHost.Alex, "Alex Wilber");
        var submit = Submit(form, "Submit", ("person", "isaiah@example.com"), ("kind", "technical-rotate"), ("reason", "Moving teams"));

        var (_, first) = await _bot.InvokeAsync("task/submit", submit, BotHost.Alex, "Alex Wilber");
        var (_, second) = await _bot.InvokeAsync("task/submit", submit, BotHost.Alex, "Alex Wilber");

        Assert.Contains("sent to", DialogMessage(first), StringComparison.Ordinal);
        Assert.Contains("already done by Alex Wilber", DialogMessage(second), StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Single(audit, e => e is { Operation: "RequestOwnerChange", Outcome: "Submitted" });
        Assert.Single(audit, e => e is { Operation: "TransferOwnership", Outcome: "Confirmed" });
        Assert.Single(audit, e => e is { Operation: "TransferOwnership", Outcome: "Refused", ActorObjectId: BotHost.Alex });
    }

    [Fact]
    public async Task AConfirmWithoutItsOneTimeId_IsRefusedAsMalformed_AndImportsNothing()
    {
        var confirm = await ImportButtonAsync();
        confirm.Remove("confirm");

        await _bot.ExecuteAsync("importOwners", confirm, BotHost.Megan, "Megan Bowen");

        var audit = await _bot.AuditAsync();
        Assert.DoesNotContain(audit, e => e.Operation == "AddOwner");
        Assert.Contains(audit, e => e is { Operation: "Admin:import owners", Outcome: "Refused" } && e.Reason!.StartsWith("Malformed", StringComparison.Ordinal));
    }

    private async Task<JsonObject> ImportButtonAsync() =>
        ButtonData(await AskAsync($"import owners\n{Csv}", BotHost.Megan, "Megan Bowen"), "Import 2 owners");

    private async Task<JsonElement> OpenDialogAsync(JsonObject button, string userObjectId, string userName)
    {
        var (_, opened) = await _bot.InvokeAsync("task/fetch", new JsonObject { ["data"] = button }, userObjectId, userName);
        return DialogCard(opened);
    }

    private async Task<JsonElement> AskAsync(string text, string user, string name)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(text, user, name);
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
    }
}
