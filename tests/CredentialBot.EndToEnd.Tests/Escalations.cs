using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using CredentialBot.Digests;
using CredentialBot.TestKit.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.EndToEnd.Tests;

/// <summary>
/// A credential whose owners are all disabled (the demo's Marketing Analytics, owned by Diego) reaches the admin
/// channel and the ITSM webhook, signed, retried through a failure, and only once.
/// </summary>
public sealed class Escalations : IAsyncLifetime
{
    private const string AdminChannel = "19:admins@thread.tacv2";
    private const string Secret = "a-webhook-secret-of-at-least-32-characters";
    private readonly BotHost _bot = new();
    private WebApplication _receiver = null!;
    private readonly ConcurrentQueue<(string Timestamp, string Signature, string Body)> _received = new();
    private int _calls;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _receiver = builder.Build();
        _receiver.MapPost("/itsm", async (HttpContext context) =>
        {
            // The first delivery fails, as a busy ITSM endpoint might; the retry must get through.
            if (Interlocked.Increment(ref _calls) == 1)
            {
                return Results.StatusCode(503);
            }

            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            _received.Enqueue((context.Request.Headers[EscalationWebhook.TimestampHeader]!, context.Request.Headers[EscalationWebhook.SignatureHeader]!, await reader.ReadToEndAsync()));
            return Results.Ok();
        });
        await _receiver.StartAsync();

        _bot.With("Notifications:AdminChannelConversationId", AdminChannel)
            .With("Notifications:EscalationWebhookUrl", _receiver.Urls.First() + "/itsm")
            .With("Notifications:EscalationWebhookSecret", Secret);
        await _bot.InitializeAsync();
        await _bot.AddToTeamAsync(AdminChannel);
        await _bot.ScanAndSeedAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task UnownedCredentials_GoToTheAdminChannel_AndTheSignedWebhook_Once()
    {
        await DispatchAsync();
        await DispatchAsync();

        var posted = Assert.Single(_received);
        Assert.Equal("sha256=" + EscalationWebhook.Sign(Secret, posted.Timestamp, Encoding.UTF8.GetBytes(posted.Body)), posted.Signature);
        using var payload = JsonDocument.Parse(posted.Body);
        Assert.Equal("credentialbot.escalation", payload.RootElement.GetProperty("type").GetString());
        Assert.Contains(payload.RootElement.GetProperty("apps").EnumerateArray(), a => a.GetProperty("displayName").GetString() == "Marketing Analytics");
        Assert.Equal(2, Volatile.Read(ref _calls));

        var toAdmins = _bot.Connector.Calls.Where(c => c.ConversationId == AdminChannel).SelectMany(c => c.Cards).Select(c => c.GetRawText()).ToList();
        Assert.Contains(toAdmins, card => card.Contains("no active owner", StringComparison.Ordinal) && card.Contains("Marketing Analytics", StringComparison.Ordinal));
        Assert.DoesNotContain(toAdmins, card => card.Contains("Snooze", StringComparison.Ordinal));
    }

    [Fact]
    public void TheWebhookSecret_AppearsInNoOutgoingMessage()
    {
        Assert.DoesNotContain(_bot.Connector.Calls, c => c.Body.GetRawText().Contains(Secret, StringComparison.Ordinal));
    }

    private async Task DispatchAsync()
    {
        await using var scope = _bot.Services.CreateAsyncScope();
        await _bot.Time.RunAsync(() => scope.ServiceProvider.GetRequiredService<DigestDispatcher>().RunOnceAsync(CancellationToken.None));
    }
}
