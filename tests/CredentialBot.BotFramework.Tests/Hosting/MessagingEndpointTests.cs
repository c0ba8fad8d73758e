using System.Net;
using System.Text;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Tests.Hosting;

/// <summary>
/// The messaging endpoint in local mode (no app id): loopback callers only, a loud warning at start-up, and a
/// half-configured identity stops start-up. Production-mode token checks are in InboundAuthenticationTests and
/// the end-to-end suite.
/// </summary>
public sealed class MessagingEndpointTests
{
    private const string Message = """{"type":"message","text":"hi","channelId":"msteams","serviceUrl":"http://127.0.0.1:1/","conversation":{"id":"a:1"}}""";

    [Fact]
    public async Task LocalMode_AcceptsALoopbackCaller_WithoutAToken()
    {
        await using var host = await Host.StartAsync();

        var response = await host.PostAsync(Message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, host.Handled);
    }

    [Fact]
    public async Task LocalMode_RefusesACallerFromAnotherMachine()
    {
        await using var host = await Host.StartAsync(remoteAddress: IPAddress.Parse("10.1.2.3"));

        var response = await host.PostAsync(Message);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, host.Handled);
    }

    [Fact]
    public async Task LocalMode_IsAnnouncedWithAWarningAtStartUp()
    {
        await using var host = await Host.StartAsync();

        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("LOCAL MODE", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("""{"type":""}""")]
    [InlineData("[1,2]")]
    public async Task ABodyThatIsNotAnActivity_Is400(string body)
    {
        await using var host = await Host.StartAsync();

        Assert.Equal(HttpStatusCode.BadRequest, (await host.PostAsync(body)).StatusCode);
    }

    [Fact]
    public async Task AnOversizedBody_Is413()
    {
        await using var host = await Host.StartAsync();
        var body = $$"""{"type":"message","text":"{{new string('x', BotEndpoint.MaxBodyBytes)}}"}""";

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await host.PostAsync(body)).StatusCode);
    }

    [Fact]
    public async Task OtherMethods_Are405()
    {
        await using var host = await Host.StartAsync();

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await host.Client.GetAsync(new Uri("/api/messages", UriKind.Relative))).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task AnAppIdWithoutACredential_StopsStartUp_NamingTheSettings(string? secret)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => Host.StartAsync(appId: "6f1c2a9e-3b1d-4c55-9a7e-2f0d1c3b4a55", clientSecret: secret));

        Assert.Contains("Bot:MicrosoftAppId", error.Message, StringComparison.Ordinal);
        Assert.Contains("Bot:ClientSecret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProductionMode_HasNoSwitchToSkipValidation()
    {
        var names = typeof(BotAuthOptions).GetProperties().Select(p => p.Name);

        Assert.DoesNotContain(names, n => n.Contains("Disable", StringComparison.OrdinalIgnoreCase) || n.Contains("Skip", StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Host : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Counter _counter;

        private Host(WebApplication app, Counter counter, ListLoggerProvider logs)
        {
            _app = app;
            _counter = counter;
            Logs = logs;
            Client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        }

        public HttpClient Client { get; }

        public ListLoggerProvider Logs { get; }

        public int Handled => _counter.Count;

        public static async Task<Host> StartAsync(string? appId = null, string? clientSecret = null, IPAddress? remoteAddress = null)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var logs = new ListLoggerProvider();
            builder.Logging.ClearProviders().AddProvider(logs);
            builder.Configuration["Bot:MicrosoftAppId"] = appId;
            builder.Configuration["Bot:ClientSecret"] = clientSecret;
            var counter = new Counter();
            builder.Services.AddSingleton(counter);
            builder.Services.AddBotFramework(builder.Configuration).AddRoutes(routes => routes.Activity<CountingHandler>("message"));
            var app = builder.Build();
            if (remoteAddress is not null)
            {
                // Stands in for a caller on another machine: the socket is loopback, the address the bot sees is not.
                app.Use((context, next) =>
                {
                    context.Connection.RemoteIpAddress = remoteAddress;
                    return next(context);
                });
            }

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

        public Task<HttpResponseMessage> PostAsync(string body) =>
            Client.PostAsync(new Uri("/api/messages", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class Counter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }

    private sealed class CountingHandler(Counter counter) : IActivityHandler
    {
        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            counter.Increment();
            return Task.CompletedTask;
        }
    }
}
