using CredentialBot.Digests;
using CredentialBot.Simulator;
using CredentialBot.Store;
using CredentialBot.Store.Entities;
using CredentialBot.TestKit.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// Unreachable is a state people leave (issue 17): notices that waited because nobody could reach their person are
/// delivered once the bot finds the person in a team's roster (a team install, a roster change, or the next look on
/// a backoff) — once each, in the digest for the stage the credential is in now; admins who heard "nobody can reach X"
/// hear that X was reached; someone in no team is escalated once and keeps waiting.
/// </summary>
public sealed class ReachingEveryone : IAsyncLifetime
{
    private const string AdminChannel = "19:admins@thread.tacv2";
    private const string TeamChannel = "19:general@thread.tacv2";

    /// <summary>The people of the Agents Playground's team (its mock users), as in the README's demo.</summary>
    private static readonly string[] PlaygroundPeople = [DemoTenant.Alex, DemoTenant.Megan, DemoTenant.Adele, DemoTenant.Isaiah, DemoTenant.Patti, DemoTenant.Lynne];

    private readonly BotHost _bot = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task TheReadmeDemoOrder_ReachesEveryDemoPersonWhoOwnsSomethingDue_Once()
    {
        await StartAsync(withAdminChannel: false);
        PlaygroundStyleMemberIds();

        // The README's order: the bot starts (and dispatches), Alex chats with it, then the team channel is opened.
        await DispatchAsync();
        await _bot.InstallAsync();
        await _bot.SendMessageAsync("my apps");
        await DispatchAsync();
        foreach (var person in PlaygroundPeople)
        {
            _bot.Connector.Team(TeamChannel)[person] = true;
        }

        await _bot.AddToTeamAsync(TeamChannel);
        await DispatchAsync();

        var owners = await RecipientsAsync();
        Assert.NotEmpty(owners);
        Assert.All(owners, owner => Assert.Contains(owner, PlaygroundPeople));
        foreach (var owner in owners)
        {
            Assert.Single(DigestsTo(owner));
        }

        Assert.Empty(await WaitingAsync());

        // Everything again: the install event repeated, a dispatch, the next looks a day later. Nothing twice.
        var before = _bot.Connector.Calls.Count;
        await _bot.AddToTeamAsync(TeamChannel);
        await DispatchAsync();
        _bot.Time.Advance(TimeSpan.FromDays(1));
        await DispatchAsync();
        Assert.Equal(before, _bot.Connector.Calls.Count);
    }

    [Fact]
    public async Task SomeoneFoundOnlyAfterALaterTeamInstall_GetsTheirDigest_AndTheAdminsHearTheyWereReached()
    {
        await StartAsync(withAdminChannel: true);
        await DispatchAsync();
        Assert.Single(ToAdmins("Isaiah Langer cannot be told"));
        Assert.Empty(DigestsTo(DemoTenant.Isaiah));

        // A second team, with Isaiah in it, gets the bot.
        const string Engineering = "19:engineering@thread.tacv2";
        _bot.Connector.Team(Engineering)[DemoTenant.Isaiah] = true;
        await _bot.AddToTeamAsync(Engineering);
        await DispatchAsync();

        var digest = Assert.Single(DigestsTo(DemoTenant.Isaiah));
        Assert.Equal($"a:personal-29:{DemoTenant.Isaiah}", digest.ConversationId);
        var reached = Assert.Single(ToAdmins("Isaiah Langer was reached"));
        Assert.Contains(" UTC", CardReading.AllText(reached.Cards[0]), StringComparison.Ordinal);
        Assert.Single(ToAdmins("Isaiah Langer cannot be told"));
    }

    [Fact]
    public async Task SomeoneJoiningATeamTheBotIsIn_IsReachedThroughTheRosterChange()
    {
        await StartAsync(withAdminChannel: true);
        await DispatchAsync();
        Assert.Empty(DigestsTo(DemoTenant.Adele));

        _bot.Connector.Team(AdminChannel)[DemoTenant.Adele] = true;
        await MemberJoinsAsync(AdminChannel, DemoTenant.Adele);
        await DispatchAsync();

        Assert.Single(DigestsTo(DemoTenant.Adele));
    }

    [Fact]
    public async Task SomeoneInNoTeam_IsEscalatedOnce_AndLookedForAgainOnABackoff_UntilFound()
    {
        await StartAsync(withAdminChannel: true);
        await DispatchAsync();
        for (var i = 0; i < 6; i++)
        {
            _bot.Time.Advance(TimeSpan.FromHours(3));
            await DispatchAsync();
        }

        Assert.Single(ToAdmins("Isaiah Langer cannot be told"));
        Assert.Empty(DigestsTo(DemoTenant.Isaiah));
        var waiting = await WaitingAsync();
        Assert.Contains(waiting, m => m.RecipientObjectId == DemoTenant.Isaiah && m.Status == OutboxStatus.Unreachable && m.NextAttemptAt > _bot.Time.GetUtcNow());

        // Later he is in a roster the bot already reads; no event says so, the next look on the backoff finds him.
        _bot.Connector.Roster[DemoTenant.Isaiah] = true;
        _bot.Time.Advance(TimeSpan.FromDays(1));
        await DispatchAsync();

        Assert.Single(DigestsTo(DemoTenant.Isaiah));
        Assert.Single(ToAdmins("Isaiah Langer was reached"));
    }

    [Fact]
    public async Task TheSameRosterEvent_ArrivingTwiceAtOnce_DeliversEachDigestOnce()
    {
        await StartAsync(withAdminChannel: true);
        await DispatchAsync();
        const string Engineering = "19:engineering@thread.tacv2";
        foreach (var person in PlaygroundPeople)
        {
            _bot.Connector.Team(Engineering)[person] = true;
        }

        // Two instances (here: two requests and two dispatchers) handle the same install at the same moment.
        await Task.WhenAll(_bot.AddToTeamAsync(Engineering), _bot.AddToTeamAsync(Engineering));
        await Task.WhenAll(DispatchAsync(), DispatchAsync());
        await DispatchAsync();

        var owners = await RecipientsAsync();
        foreach (var owner in owners)
        {
            Assert.Single(DigestsTo(owner));
        }

        Assert.Single(ToAdmins("Isaiah Langer was reached"));
    }

    private async Task StartAsync(bool withAdminChannel)
    {
        if (withAdminChannel)
        {
            _bot.With("Notifications:AdminChannelConversationId", AdminChannel);
        }

        await _bot.InitializeAsync();
        if (withAdminChannel)
        {
            await _bot.AddToTeamAsync(AdminChannel);
        }
    }

    /// <summary>The Playground's rosters name people "user-id-N", not "29:…".</summary>
    private void PlaygroundStyleMemberIds() =>
        _bot.Connector.MemberIdOf = objectId => $"user-id-{Array.IndexOf(PlaygroundPeople, objectId)}";

    /// <summary>Digest cards sent to the person's 1:1 chat, however it was made (an install or a roster).</summary>
    private List<TestKit.Connector.ConnectorCall> DigestsTo(string person)
    {
        var conversations = new HashSet<string>(StringComparer.Ordinal) { $"a:personal-{person}", $"a:personal-29:{person}" };
        if (Array.IndexOf(PlaygroundPeople, person) is var i and >= 0)
        {
            conversations.Add($"a:personal-user-id-{i}");
        }

        return [.. _bot.Connector.Calls.Where(c => c.Method == "POST" && conversations.Contains(c.ConversationId) && c.Cards.Count > 0
            && CardReading.AllText(c.Cards[0]).Contains("before they break production", StringComparison.Ordinal))];
    }

    private List<TestKit.Connector.ConnectorCall> ToAdmins(string text) =>
        [.. _bot.Connector.Calls.Where(c => c.ConversationId == AdminChannel && c.Cards.Count > 0 && CardReading.AllText(c.Cards[0]).Contains(text, StringComparison.Ordinal))];

    private async Task MemberJoinsAsync(string team, string person)
    {
        using var response = await _bot.PostAsync(_bot.Activity("conversationUpdate", DemoTenant.Megan, "Megan Bowen", team, "channel", a =>
        {
            a["membersAdded"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["id"] = $"29:{person}", ["aadObjectId"] = person });
            a["channelData"]!["eventType"] = "teamMemberAdded";
            a["channelData"]!["team"] = new System.Text.Json.Nodes.JsonObject { ["id"] = team };
        }));
        Assert.True(response.IsSuccessStatusCode);
    }

    private async Task<IReadOnlyList<string>> RecipientsAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        return await db.Outbox.Where(m => m.RecipientObjectId != "").Select(m => m.RecipientObjectId).Distinct().ToListAsync();
    }

    /// <summary>Notices for people not yet delivered (neither sent nor finally given up).</summary>
    private async Task<IReadOnlyList<OutboxMessageRecord>> WaitingAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CredentialBotDbContext>();
        return await db.Outbox.AsNoTracking().Where(m => m.RecipientObjectId != "" && m.Status != OutboxStatus.Sent).ToListAsync();
    }

    private async Task DispatchAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await _bot.Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(CancellationToken.None));
    }
}
