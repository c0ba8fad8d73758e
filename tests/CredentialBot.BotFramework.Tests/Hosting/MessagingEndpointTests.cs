using System.Net;
using System.Text;
using System.Text.Json;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Tests.Hosting;

/// <summary>
/// The messaging endpoint in local mode (no app id), attacked the ways a web page, a proxy or a careless client can:
/// only a program on this machine talking to it directly gets through, every refusal is a 4xx with a reason, and
/// nothing refused reaches a handler. Requests go through the real pipeline (TestServer), whose connection address
/// the test sets as the socket would. Production-mode token checks are in InboundAuthenticationTests and the
/// end-to-end suite.
/// </summary>
public sealed class MessagingEndpointTests
{
    private const string Message = """{"type":"message","text":"hi","channelId":"msteams","serviceUrl":"http://localhost:56150/_connector","from":{"id":"user-id-0"},"conversation":{"id":"a:1"}}""";

    private static readonly IPAddress Remote = IPAddress.Parse("10.1.2.3");

    [Fact]
    public async Task ThePlaygroundsOwnRequest_IsAccepted()
    {
        await using var host = await Host.StartAsync();

        // Exactly what the Agents Playground 0.2.28 sends (captured): its Node server posts, so there is no Origin.
        var response = await host.PostAsync(Message, host: "127.0.0.1:3978", headers: new()
        {
            ["Accept"] = "application/json, text/plain, */*",
            ["x-ms-agents-playground"] = "true",
            ["User-Agent"] = "axios/1.12.2",
        });

        Assert.Equal(StatusCodes.Status200OK, response.Status);
        Assert.Equal(1, host.Handled);
    }

    [Theory]
    [InlineData("127.0.0.1", "localhost:3978")]
    [InlineData("127.0.0.1", "LOCALHOST")]
    [InlineData("::1", "[::1]:3978")]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1:3978")]
    public async Task EveryLoopbackSocketAndHost_IsAccepted(string socket, string hostHeader)
    {
        await using var host = await Host.StartAsync();

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(Message, remote: IPAddress.Parse(socket), host: hostHeader)).Status);
    }

    [Theory]
    [InlineData("http://localhost:56150")]
    [InlineData("http://127.0.0.1:5173")]
    [InlineData("https://[::1]:8443")]
    public async Task APageOnThisMachine_IsAccepted(string origin)
    {
        await using var host = await Host.StartAsync();

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(Message, headers: new() { ["Origin"] = origin })).Status);
    }

    [Fact]
    public async Task ACrossOriginTextPlainPost_FromAWebPage_IsRefused_AndHandledByNothing()
    {
        await using var host = await Host.StartAsync();

        // What <form enctype="text/plain"> or fetch(..., {mode:'no-cors'}) on any web site sends, with no preflight.
        var response = await host.PostAsync(Message, contentType: "text/plain;charset=UTF-8", headers: new() { ["Origin"] = "https://evil.example" });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("ForeignOrigin", response.Code);
        Assert.Equal(0, host.Handled);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/jsonp")]
    [InlineData(null)]
    public async Task ABodyThatIsNotJson_Is415_EvenFromThisMachine(string? contentType)
    {
        await using var host = await Host.StartAsync();

        var response = await host.PostAsync(Message, contentType: contentType);

        Assert.Equal(StatusCodes.Status415UnsupportedMediaType, response.Status);
        Assert.Contains("application/json", response.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Handled);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Refused a request body with 415", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("null")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://127.0.0.1.nip.io:3978")]
    [InlineData("file://")]
    [InlineData("http://user@localhost")]
    public async Task AForeignOrigin_IsRefused_EvenWithAJsonBody(string origin)
    {
        await using var host = await Host.StartAsync();

        var response = await host.PostAsync(Message, headers: new() { ["Origin"] = origin });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal(0, host.Handled);
    }

    [Theory]
    [InlineData("evil.example:3978")]
    [InlineData("evil.example")]
    [InlineData("127.0.0.1.nip.io:3978")]
    [InlineData("localhost.evil.example")]
    [InlineData("10.0.0.5:3978")]
    [InlineData("0.0.0.0:3978")]
    public async Task ADnsRebindingHost_IsRefused(string hostHeader)
    {
        await using var host = await Host.StartAsync();

        // A page on evil.example re-points its name to 127.0.0.1: same origin for the browser, no Origin check to fail.
        var response = await host.PostAsync(Message, host: hostHeader);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("HostNotLoopback", response.Code);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task ACallerFromAnotherMachine_IsRefused()
    {
        await using var host = await Host.StartAsync();

        var response = await host.PostAsync(Message, remote: Remote);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("NotLoopback", response.Code);
        Assert.Equal(0, host.Handled);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message == "Refused an inbound request: NotLoopback");
    }

    [Fact]
    public async Task ForwardedFor127_FromAnotherMachine_WithForwardedHeadersEnabled_IsRefused()
    {
        await using var host = await Host.StartAsync(forwardedHeaders: true);

        // The attack is real in this configuration: the middleware trusts every proxy and rewrites the address.
        Assert.Equal("127.0.0.1", await host.SeenRemoteAddressAsync(Remote, "127.0.0.1"));
        var response = await host.PostAsync(Message, remote: Remote, headers: new() { ["X-Forwarded-For"] = "127.0.0.1" });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task AMiddlewareThatRewritesTheAddress_DoesNotMakeARemoteCallerLocal()
    {
        await using var host = await Host.StartAsync(rewriteAddressTo: IPAddress.Loopback);

        var response = await host.PostAsync(Message, remote: Remote);

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("NotLoopback", response.Code);
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.9")]
    [InlineData("X-Forwarded-Host", "abc.ngrok.app")]
    [InlineData("Forwarded", "for=203.0.113.9")]
    [InlineData("X-Original-For", "203.0.113.9:5555")]
    public async Task ARequestRelayedByALocalProxyOrTunnel_IsRefused(string header, string value)
    {
        await using var host = await Host.StartAsync();

        // A tunnel agent on this machine connects from loopback on behalf of anyone on the internet.
        var response = await host.PostAsync(Message, headers: new() { [header] = value });

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("Proxied", response.Code);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task AnActivityFromAnotherChannel_IsRefused_InLocalModeToo()
    {
        await using var host = await Host.StartAsync();

        var response = await host.PostAsync(Message.Replace("msteams", "webchat", StringComparison.Ordinal));

        Assert.Equal(StatusCodes.Status403Forbidden, response.Status);
        Assert.Equal("ChannelNotAllowed", response.Code);
        Assert.Contains("msteams", response.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task AConfiguredChannel_IsServed_AndReplacesTheDefault()
    {
        await using var host = await Host.StartAsync(settings: new() { ["Bot:AllowedChannels:0"] = "webchat" });

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(Message.Replace("msteams", "webchat", StringComparison.Ordinal))).Status);
        Assert.Equal(StatusCodes.Status403Forbidden, (await host.PostAsync(Message)).Status);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"type":""}""")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("\"message\"")]
    [InlineData("""{"type":"message","timestamp":"yesterday","channelId":"msteams"}""")]
    [InlineData("""{"type":"conversationUpdate","membersAdded":{"id":"28:bot"}}""")]
    [InlineData("""{"type":"message","from":"user-id-0"}""")]
    [InlineData("""{"type":"message","text":"unterminated""")]
    public async Task ABodyThatIsNotAnActivity_Is400_WithAReason(string body)
    {
        await using var host = await Host.StartAsync();

        var response = await host.PostAsync(body);

        Assert.Equal(StatusCodes.Status400BadRequest, response.Status);
        Assert.Equal("BadActivity", response.Code);
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.StartsWith("Refused a request body with 400", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeeplyNestedJson_Is400()
    {
        await using var host = await Host.StartAsync();
        var body = $$"""{"type":"message","value":{{new string('[', 5000)}}{{new string(']', 5000)}}}""";

        Assert.Equal(StatusCodes.Status400BadRequest, (await host.PostAsync(body)).Status);
    }

    [Fact]
    public async Task TextThatIsNotUtf8_Is400()
    {
        await using var host = await Host.StartAsync();
        var bytes = Encoding.UTF8.GetBytes(Message.Replace("\"hi\"", "\"hi-\"", StringComparison.Ordinal));
        bytes[Array.IndexOf(bytes, (byte)'-')] = 0xFF;

        Assert.Equal(StatusCodes.Status400BadRequest, (await host.PostAsync(bytes)).Status);
    }

    [Theory]
    [InlineData("channelId")]
    [InlineData("serviceUrl")]
    [InlineData("conversation")]
    [InlineData("from")]
    public async Task AnActivityWithoutAFieldTeamsAlwaysSends_Is400_NamingIt(string field)
    {
        await using var host = await Host.StartAsync();
        var activity = System.Text.Json.Nodes.JsonNode.Parse(Message)!.AsObject();
        activity.Remove(field);

        var response = await host.PostAsync(activity.ToJsonString());

        Assert.Equal(StatusCodes.Status400BadRequest, response.Status);
        Assert.Contains(field, response.Message, StringComparison.Ordinal);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task MembersAddedWithNullEntries_IsHandled_NotA500()
    {
        await using var host = await Host.StartAsync();
        var update = """{"type":"conversationUpdate","channelId":"msteams","serviceUrl":"http://localhost:56150/_connector","from":{"id":"user-id-0"},"conversation":{"id":"a:1"},"recipient":{"id":"bot"},"membersAdded":[null,{"id":"bot"}],"membersRemoved":[null]}""";

        var response = await host.PostAsync(update);

        Assert.Equal(StatusCodes.Status200OK, response.Status);
        Assert.Equal(1, host.BotsAdded);
    }

    [Fact]
    public async Task AnOversizedBody_Is413_WhetherItsLengthIsDeclaredOrNot()
    {
        await using var host = await Host.StartAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{new string('x', BotEndpoint.MaxBodyBytes)}}"}""");

        Assert.Equal(StatusCodes.Status413PayloadTooLarge, (await host.PostAsync(body)).Status);
        Assert.Equal(StatusCodes.Status413PayloadTooLarge, (await host.PostAsync(body, declareLength: false)).Status);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task OtherMethods_Are405()
    {
        await using var host = await Host.StartAsync();

        Assert.Equal(StatusCodes.Status405MethodNotAllowed, (await host.SendAsync("GET")).Status);
        Assert.Equal(StatusCodes.Status405MethodNotAllowed, (await host.SendAsync("OPTIONS")).Status);
    }

    [Fact]
    public async Task AfterEveryRefusal_AGoodRequestIsStillServed()
    {
        await using var host = await Host.StartAsync();
        await host.PostAsync("not json");
        await host.PostAsync(Message, remote: Remote);
        await host.PostAsync(Message, contentType: "text/plain");

        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(Message)).Status);
        Assert.Equal(1, host.Handled);
    }

    [Fact]
    public async Task LocalMode_IsAnnouncedWithAWarningAtStartUp()
    {
        await using var host = await Host.StartAsync();

        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("LOCAL MODE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AnAppIdWithoutACredential_StopsStartUp_NamingTheSettings(string? secret)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => Host.StartAsync(new() { ["Bot:MicrosoftAppId"] = "6f1c2a9e-3b1d-4c55-9a7e-2f0d1c3b4a55", ["Bot:ClientSecret"] = secret }));

        Assert.Contains("Bot:MicrosoftAppId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bot:ClientSecret", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bot:ConnectorRetry:MaxRetries", "-1")]
    [InlineData("Bot:ConnectorRetry:MaxRetries", "11")]
    [InlineData("Bot:ConnectorRetry:BaseDelay", "-00:00:01")]
    [InlineData("Bot:ConnectorRetry:MaxDelay", "00:00:00")]
    [InlineData("Bot:ConnectorRetry:TokenTimeout", "00:00:00")]
    [InlineData("Bot:ConnectorRetry:TokenRetryAfterFailure", "-00:00:01")]
    [InlineData("Bot:AllowedChannels:0", " ")]
    public async Task ASettingThatCannotWork_StopsStartUp_NamingIt(string key, string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => Host.StartAsync(new() { [key] = value }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConnectorRetries_StartsAndSends()
    {
        await using var host = await Host.StartAsync(new() { ["Bot:ConnectorRetry:MaxRetries"] = "0" });

        Assert.NotNull(host.Services.GetRequiredService<IConnectorClient>());
        Assert.Equal(StatusCodes.Status200OK, (await host.PostAsync(Message)).Status);
    }

    [Fact]
    public void ProductionMode_HasNoSwitchToSkipValidation()
    {
        var names = typeof(BotAuthOptions).GetProperties().Select(p => p.Name);

        Assert.DoesNotContain(names, n => n.Contains("Disable", StringComparison.OrdinalIgnoreCase) || n.Contains("Skip", StringComparison.OrdinalIgnoreCase));
    }

    private sealed record Answer(int Status, string? Code, string? Message);

    private sealed class Host : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Counter _counter;

        private Host(WebApplication app, Counter counter, ListLoggerProvider logs)
        {
            _app = app;
            _counter = counter;
            Logs = logs;
        }

        public ListLoggerProvider Logs { get; }

        public IServiceProvider Services => _app.Services;

        public int Handled => _counter.Messages;

        public int BotsAdded => _counter.BotsAdded;

        public static async Task<Host> StartAsync(Dictionary<string, string?>? settings = null, bool forwardedHeaders = false, IPAddress? rewriteAddressTo = null)
        {
            // The full builder, as the product uses: it carries the web host's forwarded-headers startup filter.
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseTestServer();
            var logs = new ListLoggerProvider();
            builder.Logging.ClearProviders().AddProvider(logs);
            builder.Configuration["FORWARDEDHEADERS_ENABLED"] = forwardedHeaders ? "true" : "false";
            foreach (var (key, value) in settings ?? [])
            {
                builder.Configuration[key] = value;
            }

            var counter = new Counter();
            builder.Services.AddSingleton(counter);
            builder.Services.AddBotFramework(builder.Configuration).AddRoutes(routes => routes.Activity<CountingHandler>("message").Activity<MembersHandler>("conversationUpdate"));
            var app = builder.Build();
            if (rewriteAddressTo is not null)
            {
                app.Use((context, next) =>
                {
                    context.Connection.RemoteIpAddress = rewriteAddressTo;
                    return next(context);
                });
            }

            app.MapGet("/whoami", (HttpContext context) => context.Connection.RemoteIpAddress?.ToString());
            app.MapBotMessages("/api/messages");
            try
            {
                await app.StartAsync();
            }
            catch
            {
                await app.DisposeAsync();
                throw;
            }

            return new Host(app, counter, logs);
        }

        public Task<Answer> PostAsync(string body, string? contentType = "application/json", IPAddress? remote = null, string host = "localhost:3978", Dictionary<string, string>? headers = null) =>
            PostAsync(Encoding.UTF8.GetBytes(body), contentType, remote, host, headers);

        public Task<Answer> PostAsync(byte[] body, string? contentType = "application/json", IPAddress? remote = null, string host = "localhost:3978", Dictionary<string, string>? headers = null, bool declareLength = true) =>
            SendAsync("POST", body, contentType, remote, host, headers, declareLength);

        public async Task<Answer> SendAsync(string method, byte[]? body = null, string? contentType = null, IPAddress? remote = null, string host = "localhost:3978", Dictionary<string, string>? headers = null, bool declareLength = true, string path = "/api/messages")
        {
            var context = await _app.GetTestServer().SendAsync(c =>
            {
                c.Request.Method = method;
                c.Request.Path = path;
                c.Request.Host = new HostString(host);
                c.Connection.RemoteIpAddress = remote ?? IPAddress.Loopback;
                c.Request.ContentType = contentType;
                if (body is not null)
                {
                    c.Request.Body = new MemoryStream(body);
                    c.Request.ContentLength = declareLength ? body.Length : null;
                }

                foreach (var (name, value) in headers ?? [])
                {
                    c.Request.Headers.Append(name, value);
                }
            });
            var text = await new StreamReader(context.Response.Body).ReadToEndAsync();
            if (context.Response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true || text.Length == 0)
            {
                return new Answer(context.Response.StatusCode, null, text);
            }

            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code)
                ? new Answer(context.Response.StatusCode, code.GetString(), root.GetProperty("message").GetString())
                : new Answer(context.Response.StatusCode, null, text);
        }

        /// <summary>The remote address a later middleware sees for a request from <paramref name="socket"/> with X-Forwarded-For.</summary>
        public async Task<string?> SeenRemoteAddressAsync(IPAddress socket, string forwardedFor) =>
            (await SendAsync("GET", remote: socket, headers: new() { ["X-Forwarded-For"] = forwardedFor }, path: "/whoami")).Message;

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class Counter
    {
        private int _messages;
        private int _botsAdded;

        public int Messages => Volatile.Read(ref _messages);

        public int BotsAdded => Volatile.Read(ref _botsAdded);

        public void Message() => Interlocked.Increment(ref _messages);

        public void BotAdded() => Interlocked.Increment(ref _botsAdded);
    }

    private sealed class CountingHandler(Counter counter) : IActivityHandler
    {
        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            counter.Message();
            return Task.CompletedTask;
        }
    }

    /// <summary>Walks membersAdded the way the product's conversationUpdate handler does, without a null check.</summary>
    private sealed class MembersHandler(Counter counter) : IActivityHandler
    {
        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            var activity = turn.Activity;
            if (activity.MembersAdded?.Any(m => string.Equals(m.Id, activity.Recipient?.Id, StringComparison.Ordinal)) == true
                && activity.MembersRemoved?.All(m => m.Id is not null) != false)
            {
                counter.BotAdded();
            }

            return Task.CompletedTask;
        }
    }
}
