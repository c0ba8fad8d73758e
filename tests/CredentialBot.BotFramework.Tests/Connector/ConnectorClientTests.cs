using System.Net;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Schema;
using CredentialBot.TestKit.Time;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Tests.Connector;

/// <summary>Outbound calls to the Bot Connector: paths, token, retries and the outcome of each send.</summary>
public sealed class ConnectorClientTests
{
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private const string ConversationId = "19:abc@thread.tacv2;messageid=1717171700000";
    private static readonly Activity Hello = new() { Type = "message", Text = "hello" };

    [Fact]
    public async Task ASend_IsPostedToTheConversation_WithTheTokenAndEscapedIds()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"1:new"}"""));

        var result = await Client(handler).SendToConversationAsync(ServiceUrl, ConversationId, Hello);

        Assert.Equal(new SendResult(SendOutcome.Sent, "1:new", StatusCode: 200), result);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("https://smba.trafficmanager.net/emea/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1717171700000/activities", request.Uri);
        Assert.Equal("Bearer outbound-token", request.Authorization);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("""{"type":"message","text":"hello"}""", request.Body);
    }

    [Fact]
    public async Task AReply_TargetsTheActivity_AndAnUpdateIsAPut()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"x"}"""));
        var client = Client(handler);

        await client.ReplyToActivityAsync(ServiceUrl, "a:1", "1717/1", Hello);
        await client.UpdateActivityAsync(ServiceUrl, "a:1", "42", Hello);

        Assert.Equal("https://smba.trafficmanager.net/emea/v3/conversations/a%3A1/activities/1717%2F1", handler.Requests[0].Uri);
        Assert.Equal("PUT", handler.Requests[1].Method);
        Assert.Contains("\"id\":\"42\"", handler.Requests[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_IsRetried_WaitingWhatRetryAfterSays()
    {
        var delays = new RecordingDelays();
        var handler = new ScriptedHandler(
            () => ScriptedHandler.Json(HttpStatusCode.TooManyRequests, "{}", TimeSpan.FromSeconds(7)),
            () => ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, "{}", TimeSpan.FromSeconds(3)),
            () => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"1:ok"}"""));

        var result = await Client(handler, delays).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(7), TimeSpan.FromSeconds(3)], delays.Delays);
        Assert.All(handler.Requests, r => Assert.Equal(handler.Requests[0].Body, r.Body));
    }

    [Fact]
    public async Task ClientsMadeFromTheSameSettings_EachWaitOnTheirOwnClock_AndRetryAsTheirSettingsSay()
    {
        // The retry pipeline is built once per settings, clock and logger: the clock of the first client must not serve
        // the second, nor the first settings a client with others.
        var retry = new ConnectorRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100) };
        var first = new RecordingDelays();
        var second = new RecordingDelays();
        ScriptedHandler ThrottledOnce(int seconds) => new(
            () => ScriptedHandler.Json(HttpStatusCode.TooManyRequests, "{}", TimeSpan.FromSeconds(seconds)),
            () => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"1:ok"}"""));

        var one = await Client(ThrottledOnce(7), first, retry: retry).SendToConversationAsync(ServiceUrl, "a:1", Hello);
        var two = await Client(ThrottledOnce(3), second, retry: retry).SendToConversationAsync(ServiceUrl, "a:1", Hello);
        var unavailable = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"));
        var none = await Client(unavailable, first, retry: new ConnectorRetryOptions { MaxRetries = 0 }).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal([SendOutcome.Sent, SendOutcome.Sent, SendOutcome.Failed], [one.Outcome, two.Outcome, none.Outcome]);
        Assert.Equal([TimeSpan.FromSeconds(7)], first.Delays);
        Assert.Equal([TimeSpan.FromSeconds(3)], second.Delays);
        Assert.Single(unavailable.Requests);
    }

    [Fact]
    public async Task WithoutRetryAfter_RetriesBackOffExponentiallyWithJitter()
    {
        var delays = new RecordingDelays();
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.BadGateway, "{}"));

        var result = await Client(handler, delays).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(3, delays.Delays.Count);
        Assert.All(delays.Delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task ThrottledAfterEveryRetry_IsThrottled_WithTheLastRetryAfter()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.TooManyRequests, "{}", TimeSpan.FromSeconds(2)));

        var result = await Client(handler, new RecordingDelays()).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(SendOutcome.Throttled, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), result.RetryAfter);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, """{"error":{"code":"BotNotInConversationRoster","message":"x"}}""", "BotNotInConversationRoster")]
    [InlineData(HttpStatusCode.NotFound, """{"error":{"code":"ConversationNotFound","message":"x"}}""", "ConversationNotFound")]
    public async Task AGoneRecipient_IsRecipientGone_WithoutRetries(HttpStatusCode status, string body, string code)
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(status, body));

        var result = await Client(handler).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(SendOutcome.RecipientGone, result.Outcome);
        Assert.Equal(code, result.ErrorCode);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task ABadRequest_IsFailed_WithoutRetries()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.BadRequest, """{"errorCode":"BadSyntax"}"""));

        var result = await Client(handler).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(new SendResult(SendOutcome.Failed, StatusCode: 400, ErrorCode: "BadSyntax"), result);
        Assert.Single(handler.Requests);
    }

    [Theory]
    [InlineData("https://evil.example.com/")]
    [InlineData("http://smba.trafficmanager.net/emea/")]
    [InlineData("https://user:pass@smba.trafficmanager.net/emea/")]
    [InlineData("http://127.0.0.1:5000/")]
    [InlineData("not a url")]
    public async Task AServiceUrlOffTheAllowList_IsNeverCalled_SoTheTokenCannotLeak(string serviceUrl)
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, "{}"));

        var result = await Client(handler).SendToConversationAsync(serviceUrl, "a:1", Hello);

        Assert.Equal(SendOutcome.Failed, result.Outcome);
        Assert.Equal("ServiceUrlNotAllowed", result.ErrorCode);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task CreatingAConversation_ReturnsItsId()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.Created, """{"id":"a:1p0i"}"""));
        var parameters = new ConversationParameters { Members = [new ChannelAccount { Id = "29:1GcS4" }], TenantId = "t" };

        var result = await Client(handler).CreateConversationAsync(ServiceUrl, parameters);

        Assert.Equal(SendOutcome.Sent, result.Outcome);
        Assert.Equal("a:1p0i", result.Id);
        Assert.EndsWith("/v3/conversations", handler.Requests[0].Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMember_IsReadWithTheRawObjectIdField()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"29:1GcS4","name":"Larry Brown","objectId":"9d3e08f9","userPrincipalName":"labrown@fabrikam.com"}"""));

        var member = await Client(handler).GetMemberAsync(ServiceUrl, "a:1", "29:1GcS4");

        Assert.Equal("9d3e08f9", member!.ObjectId);
        Assert.Equal("labrown@fabrikam.com", member.UserPrincipalName);
    }

    [Fact]
    public async Task LocalMode_CallsOnlyLoopback_AndSendsNoToken()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"1"}"""));
        var client = Client(handler, localMode: true);

        var local = await client.SendToConversationAsync("http://127.0.0.1:56150/_connector", "a:1", Hello);
        var remote = await client.SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(SendOutcome.Sent, local.Outcome);
        Assert.Equal(SendOutcome.Failed, remote.Outcome);
        Assert.Null(Assert.Single(handler.Requests).Authorization);
    }

    [Fact]
    public async Task NoRetries_SendsOnce_AndReportsTheOutcome()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"));

        var result = await Client(handler, retry: new ConnectorRetryOptions { MaxRetries = 0 }).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(new SendResult(SendOutcome.Failed, StatusCode: 503), result);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task AnUnreachableConnector_IsAnOutcome_ForSendsAndReads()
    {
        var handler = new ScriptedHandler(() => throw new HttpRequestException("Connection refused"));
        var client = Client(handler, new RecordingDelays());

        var sent = await client.SendToConversationAsync(ServiceUrl, "a:1", Hello);
        var member = await client.GetMemberAsync(ServiceUrl, "a:1", "29:1");
        var roster = await client.GetPagedMembersAsync(ServiceUrl, "19:team", null);

        Assert.Equal(new SendResult(SendOutcome.Failed, ErrorCode: "TransportFailure"), sent);
        Assert.Null(member);
        Assert.Null(roster);
    }

    [Fact]
    public async Task AConnectorThatNeverAnswers_IsATimeout_NotAnException()
    {
        var handler = new ScriptedHandler(() => throw new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"));

        var result = await Client(handler, new RecordingDelays()).SendToConversationAsync(ServiceUrl, "a:1", Hello);

        Assert.Equal(new SendResult(SendOutcome.Failed, ErrorCode: "Timeout"), result);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"id":5,"objectId":[]}""")]
    public async Task AMemberAnswerThatIsNotAMember_IsNull(string body)
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, body));

        Assert.Null(await Client(handler).GetMemberAsync(ServiceUrl, "a:1", "29:1"));
    }

    [Fact]
    public async Task TheCallersCancellation_StillCancels()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, "{}"));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(handler).SendToConversationAsync(ServiceUrl, "a:1", Hello, cancelled.Token));
    }

    [Fact]
    public async Task ARequestTheBudgetSheds_IsNeverSent_AndIsAnOutcomeNotAnException()
    {
        var handler = new ScriptedHandler(() => ScriptedHandler.Json(HttpStatusCode.OK, """{"id":"x"}"""));

        var result = await Client(handler, budget: new SheddingBudget()).ReplyToActivityAsync(ServiceUrl, "a:1", "1717/1", Hello);

        Assert.Equal(new SendResult(SendOutcome.Failed, ErrorCode: ConnectorRequestShedException.ErrorCode), result);
        Assert.Empty(handler.Requests);
    }

    private static ConnectorClient Client(ScriptedHandler handler, TimeProvider? time = null, bool localMode = false, ConnectorRetryOptions? retry = null, IConnectorRequestBudget? budget = null)
    {
        var options = Options.Create(localMode ? new BotAuthOptions() : new BotAuthOptions { MicrosoftAppId = "bot", ClientSecret = "x" });
        IConnectorTokenProvider tokens = localMode ? new NoConnectorToken() : new FixedToken();
        retry ??= new ConnectorRetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100) };
        time ??= new RecordingDelays();
        // The token's timeout runs on real time: RecordingDelays fires every timer at once, a timeout included.
        var tokenSource = new ConnectorTokenSource(tokens, retry, options, TimeProvider.System, NullLogger<ConnectorTokenSource>.Instance);
        return budget is null
            ? new ConnectorClient(new HttpClient(handler), tokenSource, new ServiceUrlPolicy(options), retry, time, NullLogger<ConnectorClient>.Instance)
            : new ConnectorClient(new HttpClient(handler), tokenSource, new ServiceUrlPolicy(options), retry, time, NullLogger<ConnectorClient>.Instance, budget);
    }

    /// <summary>A budget with no slot in time for anyone, as the tenant's is for a reply in an overload.</summary>
    private sealed class SheddingBudget : IConnectorRequestBudget
    {
        public ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken) => throw new ConnectorRequestShedException();
    }

    private sealed class FixedToken : IConnectorTokenProvider
    {
        public ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>("outbound-token");
    }
}
