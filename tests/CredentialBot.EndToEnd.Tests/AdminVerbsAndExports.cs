using System.Net;
using CredentialBot.Admin.Export;
using CredentialBot.Cli;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;
using static CredentialBot.EndToEnd.Tests.CardReading;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>The admin CLI verbs on a local-mode store, and CSV exports that read back as they were written.</summary>
public sealed class AdminVerbs : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cb-verbs-" + Guid.NewGuid().ToString("N"));

    public AdminVerbs() => System.IO.Directory.CreateDirectory(_directory);

    private string Store => $"--Store:ConnectionString=Data Source={Path.Combine(_directory, "bot.db")}";

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Compliance_PrintsTheSummary_AsATableOrJson()
    {
        await ScanAsync();
        using var table = new StringWriter();
        using var json = new StringWriter();

        Assert.Equal(0, await ComplianceVerb.RunAsync([Store], table));
        Assert.Equal(0, await ComplianceVerb.RunAsync(["--format", "json", Store], json));

        Assert.Contains("25 (20 app registrations, 5 enterprise applications)", table.ToString(), StringComparison.Ordinal);
        Assert.Equal(25, System.Text.Json.JsonDocument.Parse(json.ToString()).RootElement.GetProperty("Applications").GetInt32() + 5);
    }

    [Fact]
    public async Task Compliance_AsCsv_ReadsBackWithOneRowPerApp()
    {
        await ScanAsync();
        using var output = new StringWriter();

        Assert.Equal(0, await ComplianceVerb.RunAsync(["--format", "csv", Store], output));

        using var csv = CsvReader.FromText(output.ToString());
        var rows = new List<(string Name, string Compliant)>();
        while (csv.Read())
        {
            rows.Add((csv.GetString(csv.GetFieldIndex("displayName")), csv.GetString(csv.GetFieldIndex("compliant"))));
        }

        Assert.Equal(25, rows.Count);
        Assert.Contains(("Payroll API", "false"), rows);
        Assert.Contains(("Inventory Sync", "false"), rows);
    }

    [Fact]
    public async Task ImportOwners_ChecksEveryRow_AndImportsOnlyAValidFile()
    {
        await ScanAsync();
        var bad = Path.Combine(_directory, "bad.csv");
        var good = Path.Combine(_directory, "good.csv");
        await File.WriteAllTextAsync(bad, "app,kind,person,ManageCredentials\nnope,technical,isaiah@example.com,true\n1f2e3d4c-5b6a-4978-8a9b-000000000005,business,ghost@example.com,false\n");
        await File.WriteAllTextAsync(good, "app,kind,person,ManageCredentials\n1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true\n");
        using var badOutput = new StringWriter();
        using var dryOutput = new StringWriter();
        using var goodOutput = new StringWriter();

        Assert.Equal(1, await ImportOwnersVerb.RunAsync([bad, Store], badOutput));
        Assert.Equal(0, await ImportOwnersVerb.RunAsync([good, "--dry-run", Store], dryOutput));
        Assert.Equal(0, await ImportOwnersVerb.RunAsync([good, Store], goodOutput));
        Assert.Equal(2, await ImportOwnersVerb.RunAsync([Path.Combine(_directory, "missing.csv"), Store], TextWriter.Null));

        Assert.Contains("bad.csv:2: unknown app 'nope'", badOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains("bad.csv:3: Nobody in the directory matches 'ghost@example.com'", badOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains("All 1 rows are valid; nothing was imported (--dry-run).", dryOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains("Imported 1 owner(s).", goodOutput.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAudit_WritesTheChainInOrder_AndItReadsBackIntact()
    {
        await ScanAsync();
        var good = Path.Combine(_directory, "good.csv");
        await File.WriteAllTextAsync(good, "app,kind,person,ManageCredentials\n1f2e3d4c-5b6a-4978-8a9b-000000000005,technical,isaiah@example.com,true\n");
        await ImportOwnersVerb.RunAsync([good, Store], TextWriter.Null);
        var path = Path.Combine(_directory, "audit.csv");

        Assert.Equal(0, await ExportAuditVerb.RunAsync(["--out", path, Store], TextWriter.Null));

        using var csv = CsvReader.FromText(await File.ReadAllTextAsync(path));
        Assert.True(csv.Read());
        Assert.Equal(Exports.AuditColumns, csv.Headers.ToArray());
        Assert.Equal("1", csv.GetString(0));
        Assert.Equal("AddOwner", csv.GetString(csv.GetFieldIndex("operation")));
        Assert.StartsWith("Imported: Isaiah Langer as technical owner", csv.GetString(csv.GetFieldIndex("reason")), StringComparison.Ordinal);
        Assert.Equal(64, csv.GetString(csv.GetFieldIndex("hash")).Length);
    }

    private async Task ScanAsync() => Assert.Equal(0, await ScanVerb.RunAsync([Store], TextWriter.Null));
}

/// <summary>
/// Export links from the chat (issue 11.3): signed, single-use, short-lived, posted only in the asking admin's personal
/// chat, and every download or refused download audited.
/// </summary>
public sealed class ExportLinksFromChat : IAsyncLifetime
{
    private readonly BotHost _bot = new BotHost()
        .With("Authorization:AdminGroupIds:0", CredentialBot.Simulator.DemoTenant.AdminGroup)
        .With("Exports:PublicBaseUrl", "https://credentialbot.example.com")
        .With("Exports:SigningKey", "test-signing-key-that-is-long-enough-1234");

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task AnAdminsLink_DownloadsTheCsvOnce_AndASecondDownloadIsRefusedAndAudited()
    {
        var link = await LinkAsync("export audit");

        var download = await _bot.Client.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.StartsWith("sequence,at,actorObjectId", await download.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var again = await _bot.Client.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("works once", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await _bot.AuditAsync();
        Assert.Single(audit, e => e is { Operation: "ExportAudit", Outcome: "Downloaded", ActorObjectId: BotHost.Megan });
        Assert.Contains(audit, e => e is { Operation: "ExportAudit", Outcome: "Refused", ActorObjectId: BotHost.Megan });
    }

    [Fact]
    public async Task AnUnusedLink_StopsWorkingWhenItsLifetimeEnds()
    {
        var link = await LinkAsync("export audit");

        _bot.Time.Advance(TimeSpan.FromMinutes(11));
        var late = await _bot.Client.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("expired", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await _bot.AuditAsync(), e => e.Outcome == "Downloaded");
    }

    [Fact]
    public async Task SomeoneElsesLink_RewrittenToThemselves_IsRefused_AndTheRealOneStillWorksOnce()
    {
        var link = await LinkAsync("export compliance");
        var forged = link.PathAndQuery.Replace($"by={BotHost.Megan}", $"by={BotHost.Alex}", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await _bot.Client.GetAsync(new Uri(forged, UriKind.Relative))).StatusCode);
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "ExportCompliance", Outcome: "Refused", ActorObjectId: "unknown" });
        Assert.Equal(HttpStatusCode.OK, (await _bot.Client.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task AskedInAChannel_TheLinkGoesToThePersonalChat_AndTheThreadIsToldSo()
    {
        await _bot.InstallAsync(BotHost.Megan, "Megan Bowen");
        var before = _bot.Connector.Calls.Count;

        await _bot.SendChannelMessageAsync("export audit", BotHost.Megan, "Megan Bowen");

        var calls = (await _bot.Connector.WaitForCallsAsync(before + 2)).Skip(before).ToList();
        var inThread = Assert.Single(calls, c => c.ConversationId != $"a:personal-{BotHost.Megan}");
        Assert.Contains("sent the download link to your personal chat", inThread.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/exports/", inThread.Body.GetRawText(), StringComparison.Ordinal);
        var personal = Assert.Single(calls, c => c.ConversationId == $"a:personal-{BotHost.Megan}");
        var url = personal.Cards[0].GetProperty("actions")[0].GetProperty("url").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await _bot.Client.GetAsync(new Uri(new Uri(url).PathAndQuery, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task AskedInAChannel_WithNoPersonalChat_NoLinkIsPostedAnywhere_AndTheThreadIsToldWhereToAsk()
    {
        var before = _bot.Connector.Calls.Count;

        await _bot.SendChannelMessageAsync("export compliance", BotHost.Megan, "Megan Bowen");

        var reply = (await _bot.Connector.WaitForCallsAsync(before + 1))[before];
        Assert.Contains("open CredentialBot in Teams, then ask **export compliance** there", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.Body.GetRawText().Contains("/exports/", StringComparison.Ordinal));
        Assert.Contains(await _bot.AuditAsync(), e => e is { Operation: "ExportCompliance", Outcome: "Refused", ActorObjectId: BotHost.Megan });
    }

    private async Task<Uri> LinkAsync(string command)
    {
        var before = _bot.Connector.Calls.Count;
        await _bot.SendMessageAsync(command, BotHost.Megan, "Megan Bowen");
        var card = (await _bot.Connector.WaitForCallsAsync(before + 1))[before].Cards[0];
        var url = card.GetProperty("actions")[0].GetProperty("url").GetString()!;
        Assert.StartsWith("https://credentialbot.example.com/exports/", url, StringComparison.Ordinal);
        Assert.Contains("downloads the CSV once, within 10 minutes", CardReading.AllText(card), StringComparison.Ordinal);
        return new Uri(url);
    }
}
