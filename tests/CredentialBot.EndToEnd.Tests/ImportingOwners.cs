using System.Text.Json.Nodes;
using CredentialBot.Domain;
using CredentialBot.Simulator;
using CredentialBot.Store.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// "import owners": admins import technical and business owners from CSV, pasted or sent as a file; every bad row is
/// reported with its line and nothing is imported from a file with any bad row.
/// </summary>
public sealed class ImportingOwners : IAsyncLifetime
{
    private const string Valid = """
        app,kind,person,ManageCredentials
        1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true
        5f0c1a2b-7d3e-4a51-9b2c-000000000007,business,lynner@example.com,false
        """;

    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminGroupIds:0", DemoTenant.AdminGroup)
        .With("Import:AllowedDownloadHosts:0", "127.0.0.1");

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AnAdmin_PastesAValidCsv_SeesAPreview_AndConfirmsTheImport()
    {
        var preview = await SendAsync($"import owners\n{Valid}", BotHost.Megan, "Megan Bowen");
        Assert.Contains("Import 2 owners?", AllText(preview), StringComparison.Ordinal);
        Assert.DoesNotContain(await OwnersAsync(DemoTenant.ObjectId(5)), o => o.ObjectId == DemoTenant.Isaiah);

        var done = await _bot.ExecuteAsync("importOwners", ButtonData(preview, "Import 2 owners"), BotHost.Megan, "Megan Bowen");

        Assert.Contains("Imported 2 owners", AllText(done), StringComparison.Ordinal);
        Assert.Contains(await OwnersAsync(DemoTenant.ObjectId(5)), o => o is { Kind: OwnerKind.Technical, ObjectId: DemoTenant.Isaiah, CanManageCredentials: true });
        Assert.Contains(await OwnersAsync(DemoTenant.ObjectId(7)), o => o is { Kind: OwnerKind.Business, ObjectId: DemoTenant.Lynne });
        Assert.Equal(2, (await _bot.AuditAsync()).Count(e => e is { Operation: "AddOwner", Outcome: "Succeeded", ActorObjectId: BotHost.Megan }));
    }

    [Fact]
    public async Task EveryBadRow_IsReportedWithItsLine_AndNothingIsImported()
    {
        const string broken = """
            app,kind,person,ManageCredentials
            1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true
            no-such-app,technical,isaiah@example.com,true
            1f2e3d4c-5b6a-4978-8a9b-000000000005,owner,isaiah@example.com,false
            1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,ghost@example.com,false
            1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,diegos@example.com,false
            1f2e3d4c-5b6a-4978-8a9b-000000000005,business,lynner@example.com,maybe
            1f2e3d4c-5b6a-4978-8a9b-000000000005,business,lynner@example.com,true
            1f2e3d4c-5b6a-4978-8a9b-000000000005,entra,lynner@example.com,false
            1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true
            1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,,false
            """;

        var text = AllText(await SendAsync($"import owners\n{broken}", BotHost.Megan, "Megan Bowen"));

        Assert.Contains("9 bad rows: nothing was imported", text, StringComparison.Ordinal);
        foreach (var (line, reason) in new[]
        {
            (3, "unknown app 'no-such-app'"), (4, "bad kind 'owner'"), (5, "Nobody in the directory matches 'ghost@example.com'"),
            (6, "Diego Siciliani's account is disabled"), (7, "bad ManageCredentials 'maybe'"), (8, "only technical owners can hold ManageCredentials"),
            (9, "Entra owners are not imported"), (10, "duplicate of line 2"), (11, "no person given"),
        })
        {
            Assert.Contains($"{line}\n{reason}", text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await OwnersAsync(DemoTenant.ObjectId(5)), o => o.ObjectId == DemoTenant.Isaiah);
    }

    [Fact]
    public async Task AFileWithoutTheHeader_IsRefused_NamingIt()
    {
        var text = AllText(await SendAsync("import owners\nfoo,bar\n1,2", BotHost.Megan, "Megan Bowen"));

        Assert.Contains("The first line must be the header: app,kind,person,ManageCredentials", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvFileSentInThePersonalChat_IsImportedTheSameWay()
    {
        await using var files = await StartFileServerAsync(Valid);
        var activity = _bot.Activity("message", BotHost.Megan, "Megan Bowen", $"a:personal-{BotHost.Megan}", extra: a =>
            a["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
                ["name"] = "owners.csv",
                ["content"] = new JsonObject { ["downloadUrl"] = $"{files.Urls.First()}/owners.csv", ["fileType"] = "csv", ["uniqueId"] = "1" },
            }));
        var before = _bot.Connector.Calls.Count;

        await _bot.PostAsync(activity);

        Assert.Contains("Import 2 owners?", AllText((await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileLinkOutsideTheAllowedHosts_IsNotFetched()
    {
        var activity = _bot.Activity("message", BotHost.Megan, "Megan Bowen", $"a:personal-{BotHost.Megan}", extra: a =>
        {
            a["text"] = "import owners";
            a["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
                ["name"] = "owners.csv",
                ["content"] = new JsonObject { ["downloadUrl"] = "https://metadata.internal.example/owners.csv" },
            });
        });
        var before = _bot.Connector.Calls.Count;

        await _bot.PostAsync(activity);

        Assert.Contains("cannot be downloaded", (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAllowedFileWhoseDownloadBreaks_GetsAClearReply_AndImportsNothing()
    {
        // The server promises the whole file, sends its first line and drops the connection.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var broken = builder.Build();
        broken.MapGet("/owners.csv", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/csv";
            context.Response.ContentLength = 4_000;
            await context.Response.WriteAsync("app,kind,person,ManageCredentials\n");
            await context.Response.Body.FlushAsync();
            context.Abort();
        });
        await broken.StartAsync();
        var closedPort = $"http://127.0.0.1:{FreePort()}/owners.csv";

        foreach (var url in new[] { $"{broken.Urls.First()}/owners.csv", closedPort })
        {
            var activity = _bot.Activity("message", BotHost.Megan, "Megan Bowen", $"a:personal-{BotHost.Megan}", extra: a =>
                a["attachments"] = new JsonArray(new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.teams.file.download.info",
                    ["name"] = "owners.csv",
                    ["content"] = new JsonObject { ["downloadUrl"] = url, ["fileType"] = "csv", ["uniqueId"] = "1" },
                }));
            var before = _bot.Connector.Calls.Count;

            using var response = await _bot.PostAsync(activity);

            Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode}");
            Assert.Contains("could not be downloaded", (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await OwnersAsync(DemoTenant.ObjectId(5)), o => o.ObjectId == DemoTenant.Isaiah);
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Operation == "AddOwner");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task SomeoneWhoIsNotAnAdmin_CannotImport_EvenWithAForgedConfirm()
    {
        var refused = await SendTextAsync($"import owners\n{Valid}", BotHost.Alex, "Alex Wilber");
        var forged = await _bot.ExecuteAsync("importOwners", new JsonObject { ["csv"] = Valid, ["confirm"] = "forged-confirm-id" }, BotHost.Alex, "Alex Wilber");

        Assert.Contains("is for CredentialBot admins", refused, StringComparison.Ordinal);
        Assert.Contains("Only CredentialBot admins can import owners", AllText(forged), StringComparison.Ordinal);
        Assert.DoesNotContain(await OwnersAsync(DemoTenant.ObjectId(5)), o => o.ObjectId == DemoTenant.Isaiah);
        Assert.Equal(2, (await _bot.AuditAsync()).Count(e => e is { Operation: "Admin:import owners", Outcome: "Refused" }));
    }

    private async Task<System.Text.Json.JsonElement> SendAsync(string text, string user, string name)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(text, user, name);
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
    }

    private async Task<string> SendTextAsync(string text, string user, string name)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(text, user, name);
        return (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Text ?? string.Empty;
    }

    private async Task<IReadOnlyList<Owner>> OwnersAsync(string app)
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AppCatalog>().GetAsync(app))!.Owners;
    }

    private static async Task<WebApplication> StartFileServerAsync(string content)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/owners.csv", () => Results.Text(content, "text/csv"));
        await app.StartAsync();
        return app;
    }
}
