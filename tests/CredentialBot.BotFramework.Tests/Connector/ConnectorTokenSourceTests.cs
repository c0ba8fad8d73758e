using System.Net;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ClockDrivenTime = Microsoft.Extensions.Time.Testing.FakeTimeProvider;

namespace CredentialBot.BotFramework.Tests.Connector;

/// <summary>
/// The outbound token failing — a refusing authority, one that never answers — costs a send one bounded wait and a
/// clear log line naming the credential setting, never an exception in a handler (which used to become a 500 after
/// the credential library's 11 s of retries), and later sends fail at once until the retry time.
/// </summary>
public sealed class ConnectorTokenSourceTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private static readonly BotFramework.Schema.Activity Hello = new() { Type = "message", Text = "hello" };

    private readonly WatchedTime _time = new(new ClockDrivenTime(DateTimeOffset.UtcNow));
    private readonly ListLoggerProvider _logs = new();
    private readonly ScriptedHandler _connector = new(() => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"1"}"""));

    [Fact]
    public async Task ARefusedToken_FailsTheSend_WithoutCallingTheConnector_AndNamesTheSetting()
    {
        var tokens = new ScriptedTokens(() => throw new InvalidOperationException("AADSTS7000215: Invalid client secret provided."));

        var result = await Client(tokens).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(new SendResult(SendOutcome.Failed, ErrorCode: "TokenUnavailable"), result);
        Assert.Empty(_connector.Requests);
        var line = Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("Bot:ClientSecret", line.Message, StringComparison.Ordinal);
        Assert.Contains("Bot:MicrosoftAppTenantId", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("the-secret", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAuthorityThatNeverAnswers_CostsOneTokenTimeout_NotTheCredentialLibrarysRetries()
    {
        var tokens = new ScriptedTokens(() => new TaskCompletionSource<string?>().Task);
        var client = Client(tokens);

        var send = client.SendToConversationAsync(ServiceUrl, "a:1", Hello);
        Assert.Equal(new ConnectorRetryOptions().TokenTimeout, await _time.TimerStarted.WaitAsync(TimeSpan.FromSeconds(10)));
        await tokens.Asked.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(new ConnectorRetryOptions().TokenTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(send.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var result = await send.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("TokenUnavailable", result.ErrorCode);
        Assert.True(tokens.LastToken.IsCancellationRequested, "the provider is told to stop");
        Assert.Contains(_logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("no answer within 5 s", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterAFailure_SendsFailAtOnce_UntilTheRetryTime_ThenTheTokenIsTriedAgain()
    {
        var calls = 0;
        var tokens = new ScriptedTokens(() => ++calls == 1 ? throw new InvalidOperationException("down") : Task.FromResult<string?>("fresh-token"));
        var client = Client(tokens);

        await client.SendToConversationAsync(ServiceUrl, "a:1", Hello);
        var during = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.SendToConversationAsync(ServiceUrl, "a:1", Hello)));
        _time.Advance(new ConnectorRetryOptions().TokenRetryAfterFailure);
        var after = await client.SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.All(during, r => Assert.Equal("TokenUnavailable", r.ErrorCode));
        Assert.Equal(SendOutcome.Sent, after.Outcome);
        Assert.Equal(2, calls);
        Assert.Equal("Bearer fresh-token", Assert.Single(_connector.Requests).Authorization);
        Assert.Single(_logs.Entries, e => e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task ARosterRead_WithoutAToken_IsNull()
    {
        var tokens = new ScriptedTokens(() => throw new InvalidOperationException("down"));

        Assert.Null(await Client(tokens).GetPagedMembersAsync(ServiceUrl, "19:team", null));
        Assert.Empty(_connector.Requests);
    }

    [Fact]
    public async Task TheTokenValue_NeverShowsInTheResult()
    {
        var token = await Source(new ScriptedTokens(() => Task.FromResult<string?>("eyJ.secret.sig"))).GetAsync(CancellationToken.None);

        Assert.Equal("eyJ.secret.sig", token.Value);
        Assert.DoesNotContain("eyJ", token.ToString(), StringComparison.Ordinal);
    }

    private static IOptions<BotAuthOptions> Bot => Options.Create(new BotAuthOptions { MicrosoftAppId = "bot", ClientSecret = "the-secret" });

    private ConnectorTokenSource Source(IConnectorTokenProvider tokens) =>
        new(tokens, new ConnectorRetryOptions(), Bot, _time, new Logger<ConnectorTokenSource>(new Factory(_logs)));

    private ConnectorClient Client(IConnectorTokenProvider tokens) =>
        new(new HttpClient(_connector), Source(tokens), new ServiceUrlPolicy(Bot), new ConnectorRetryOptions(), _time, new Logger<ConnectorClient>(new Factory(_logs)));

    /// <summary>Every logger writes to the test's <see cref="ListLoggerProvider"/>.</summary>
    private sealed class Factory(ListLoggerProvider logs) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => logs.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }

    /// <summary>A token provider whose answer the test scripts; it records the token it was given.</summary>
    private sealed class ScriptedTokens(Func<Task<string?>> answer) : IConnectorTokenProvider
    {
        private readonly TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationToken LastToken { get; private set; }

        /// <summary>Completes when the source has really asked for a token (it asks on the thread pool).</summary>
        public Task Asked => _asked.Task;

        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
        {
            LastToken = cancellationToken;
            _asked.TrySetResult();
            return new ValueTask<string?>(answer());
        }
    }

    /// <summary>The clock-driven fake, telling the test when the first timer starts (so it advances only after that).</summary>
    private sealed class WatchedTime(ClockDrivenTime clock) : TimeProvider
    {
        private readonly TaskCompletionSource<TimeSpan> _timerStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<TimeSpan> TimerStarted => _timerStarted.Task;

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = clock.CreateTimer(callback, state, dueTime, period);
            _timerStarted.TrySetResult(dueTime);
            return timer;
        }

        public void Advance(TimeSpan delta) => clock.Advance(delta);
    }
}
