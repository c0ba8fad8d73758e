using CredentialBot.Digests;
using CredentialBot.Simulator;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// People who never opened the bot: found in a team's roster, they get a new 1:1 conversation and their digest; not
/// found anywhere, they are RecipientUnreachable, admins hear it once, and installing later delivers their digest.
/// </summary>
public sealed class ReachingPeople : IAsyncLifetime
{
    private const string AdminChannel = "19:admins@thread.tacv2";
    private readonly BotHost _bot = new BotHost().With("Notifications:AdminChannelConversationId", AdminChannel);

    public async Task InitializeAsync()
    {
        await _bot.InitializeAsync();
        await _bot.AddToTeamAsync(AdminChannel);
    }

    public Task DisposeAsync() => _bot.DisposeAsync();

    [Fact]
    public async Task SomeoneInATeamRoster_GetsANew1To1Conversation_AndTheirDigest()
    {
        _bot.Connector.Roster[DemoTenant.Isaiah] = true;

        await DispatchAsync();

        var created = Assert.Single(_bot.Connector.Calls, c => c.Method == "CREATE");
        Assert.Equal($"29:{DemoTenant.Isaiah}", created.Body.GetProperty("members")[0].GetProperty("id").GetString());
        Assert.Equal(BotHost.TenantId, created.Body.GetProperty("tenantId").GetString());
        Assert.Contains(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-29:{DemoTenant.Isaiah}" && c.Cards.Count == 1);
    }

    [Fact]
    public async Task SomeoneNobodyCanReach_IsEscalatedToAdminsOnce_AndGetsTheirDigestOnInstall()
    {
        await DispatchAsync();
        await DispatchAsync();

        var toAdmins = _bot.Connector.Calls.Where(c => c.ConversationId == AdminChannel && CardReading.AllText(c.Body).Contains("Isaiah Langer cannot be told", StringComparison.Ordinal)).ToList();
        Assert.Single(toAdmins);
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-{DemoTenant.Isaiah}");

        await _bot.InstallAsync(DemoTenant.Isaiah, "Isaiah Langer");
        await DispatchAsync();

        Assert.Contains(_bot.Connector.Calls, c => c.ConversationId == $"a:personal-{DemoTenant.Isaiah}" && CardReading.AllText(c.Body).Contains("need you", StringComparison.Ordinal));
    }

    private async Task DispatchAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await _bot.Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(CancellationToken.None));
    }
}
