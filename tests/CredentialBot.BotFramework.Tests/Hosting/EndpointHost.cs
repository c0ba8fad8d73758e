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
/// The messaging endpoint in local mode (no app id) in the real pipeline (TestServer), whose connection address a test
/// sets as the socket would, with handlers that count what reached them.
/// </summary>
internal sealed class EndpointHost : IAsyncDisposable
{
    /// <summary>A Teams message as the Playground sends it.</summary>
    public const string Message = """{"type":"message","text":"hi","channelId":"msteams","serviceUrl":"http://localhost:56150/_connector","from":{"id":"user-id-0"},"conversation":{"id":"a:1"}}""";

    private readonly WebApplication _app;
    private readonly Counter _counter;

    private EndpointHost(WebApplication app, Counter counter, ListLoggerProvider logs)
    {
        _app = app;
        _counter = counter;
        Logs = logs;
    }

    public ListLoggerProvider Logs { get; }

    public IServiceProvider Services => _app.Services;

    public int Handled => _counter.Messages;

    public int BotsAdded => _counter.BotsAdded;

    /// <summary>The text of the last message a handler received.</summary>
    public string? LastText => _counter.LastText;

    public static async Task<EndpointHost> StartAsync(Dictionary<string, string?>? settings = null, bool forwardedHeaders = false, IPAddress? rewriteAddressTo = null)
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

        return new EndpointHost(app, counter, logs);
    }

    public Task<EndpointAnswer> PostAsync(string body, string? contentType = "application/json", IPAddress? remote = null, string host = "localhost:3978", Dictionary<string, string>? headers = null) =>
        PostAsync(Encoding.UTF8.GetBytes(body), contentType, remote, host, headers);

    public Task<EndpointAnswer> PostAsync(byte[] body, string? contentType = "application/json", IPAddress? remote = null, string host = "localhost:3978", Dictionary<string, string>? headers = null, bool declareLength = true) =>
        SendAsync("POST", body, contentType, remote, host, headers, declareLength);

    public async Task<EndpointAnswer> SendAsync(string method, byte[]? body = null, string? contentType = null, IPAddress? remote = null, string host = "localhost:3978", Dictionary<string, string>? headers = null, bool declareLength = true, string path = "/api/messages")
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
            return new EndpointAnswer(context.Response.StatusCode, null, text);
        }

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("code", out var code)
            ? new EndpointAnswer(context.Response.StatusCode, code.GetString(), root.GetProperty("message").GetString())
            : new EndpointAnswer(context.Response.StatusCode, null, text);
    }

    /// <summary>The remote address a later middleware sees for a request from <paramref name="socket"/> with X-Forwarded-For.</summary>
    public async Task<string?> SeenRemoteAddressAsync(IPAddress socket, string forwardedFor) =>
        (await SendAsync("GET", remote: socket, headers: new() { ["X-Forwarded-For"] = forwardedFor }, path: "/whoami")).Message;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Counter
    {
        private int _messages;
        private int _botsAdded;

        public int Messages => Volatile.Read(ref _messages);

        public int BotsAdded => Volatile.Read(ref _botsAdded);

        public string? LastText { get; private set; }

        public void Message(string? text)
        {
            LastText = text;
            Interlocked.Increment(ref _messages);
        }

        public void BotAdded() => Interlocked.Increment(ref _botsAdded);
    }

    private sealed class CountingHandler(Counter counter) : IActivityHandler
    {
        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            counter.Message(turn.Activity.Text);
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
