using System.Text.Json;
using System.Text.Json.Serialization;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.BotFramework.Tests.Routing;

/// <summary>
/// The routing table: one key per route, declared at registration and looked up by type, invoke name, card verb or
/// command id; invoke data is read once into the route's type and refused with 400 before any handler runs.
/// </summary>
public sealed class ActivityRouterTests
{
    [Fact]
    public async Task Messages_RouteByActivityType()
    {
        var (router, services) = Build(r => r.Activity<MessageRoute>("message"));

        var response = await router.RouteAsync(Turn(services, new Activity { Type = "message" }), default);

        Assert.Equal(200, response.Status);
        Assert.Equal(["message"], services.GetRequiredService<Calls>().Names);
    }

    [Fact]
    public async Task CardActions_RouteByVerb()
    {
        var (router, services) = Build(r => r.CardAction<AppData, SnoozeVerbRoute>("snooze", TestJson.Default.AppData));

        var response = await router.RouteAsync(Turn(services, Invoke("adaptiveCard/action", """{"action":{"type":"Action.Execute","verb":"snooze","data":{"app":"a"}}}""")), default);

        Assert.Equal("snooze", response.Body);
    }

    [Fact]
    public async Task ACardActionWithoutAVerb_IsABadRequest()
    {
        var (router, services) = Build(r => r.CardAction<AppData, SnoozeVerbRoute>("snooze", TestJson.Default.AppData));

        var response = await router.RouteAsync(Turn(services, Invoke("adaptiveCard/action", """{"action":{"type":"Action.Execute"}}""")), default);

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task MessageExtensionQueries_RouteByCommandId()
    {
        var (router, services) = Build(r => r.MessageExtensionQuery<FindAppRoute>("findApp"));

        var response = await router.RouteAsync(Turn(services, Invoke("composeExtension/query", """{"commandId":"findApp","parameters":[]}""")), default);

        Assert.Equal("findApp", response.Body);
    }

    [Fact]
    public async Task AnUnknownInvoke_Is501()
    {
        var (router, services) = Build(r => r.Activity<MessageRoute>("message"));

        var response = await router.RouteAsync(Turn(services, Invoke("someFuture/invoke", "{}")), default);

        Assert.Equal(501, response.Status);
    }

    [Fact]
    public async Task AnUnknownActivityType_IsAcknowledgedAndIgnored()
    {
        var (router, services) = Build(r => r.Activity<MessageRoute>("message"));

        var response = await router.RouteAsync(Turn(services, new Activity { Type = "messageReaction" }), default);

        Assert.Equal(200, response.Status);
        Assert.Null(response.Body);
        Assert.Empty(services.GetRequiredService<Calls>().Names);
    }

    [Fact]
    public void TwoHandlersForOneKey_StopStartUp_NamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(r => r.Activity<MessageRoute>("message").Activity<AnotherMessageRoute>("message")));

        Assert.Contains(nameof(MessageRoute), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AnotherMessageRoute), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildingTheTable_ConstructsNoHandler()
    {
        var (_, services) = Build(r => r
            .Activity<MessageRoute>("message")
            .CardAction<AppData, SnoozeVerbRoute>("snooze", TestJson.Default.AppData)
            .MessageExtensionQuery<FindAppRoute>("findApp"));

        Assert.Equal(0, services.GetRequiredService<Calls>().Constructed);
    }

    [Fact]
    public async Task AFailingHandler_AnswersAGenericError_AndLogsTheException()
    {
        var logs = new ListLoggerProvider();
        var (router, services) = Build(r => r.TaskFetch<AppData, FailingTaskFetchRoute>(TestJson.Default.AppData), logs);

        var response = await router.RouteAsync(Turn(services, Invoke("task/fetch", """{"data":{"app":"a"}}""")), default);

        Assert.Equal(500, response.Status);
        var body = JsonSerializer.Serialize(response.Body, response.Body!.GetType(), BotJsonContext.Default);
        Assert.DoesNotContain("secret-internal-detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("at CredentialBot", body, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "secret-internal-detail");
    }

    [Fact]
    public async Task AFailingCardAction_AnswersAnAdaptiveCardErrorWith200_AsTeamsRequires()
    {
        var (router, services) = Build(r => r.CardAction<AppData, FailingVerbRoute>("explode", TestJson.Default.AppData));

        var response = await router.RouteAsync(Turn(services, Invoke("adaptiveCard/action", """{"action":{"type":"Action.Execute","verb":"explode","data":{"app":"a"}}}""")), default);

        Assert.Equal(200, response.Status);
        var body = Assert.IsType<AdaptiveCardInvokeResponse>(response.Body);
        Assert.Equal(500, body.StatusCode);
    }

    [Fact]
    public async Task ACardActionsData_ReachesTheHandlerTyped_WithTheActorFromTheActivity()
    {
        var (router, services) = Build(r => r.CardAction<AppData, SnoozeVerbRoute>("snooze", TestJson.Default.AppData));
        var invoke = Invoke("adaptiveCard/action", """{"action":{"type":"Action.Execute","verb":"snooze","data":{"app":"payroll","actor":"forged-admin"}}}""") with
        {
            From = new ChannelAccount { Id = "29:alex", Name = "Alex Wilber", AadObjectId = "alex-object-id" },
        };

        await router.RouteAsync(Turn(services, invoke), default);

        var call = Assert.Single(services.GetRequiredService<Calls>().Invokes);
        Assert.Equal(("payroll", "alex-object-id", "Alex Wilber"), (call.Data.App, call.Actor.ObjectId, call.Actor.DisplayName));
    }

    [Theory]
    [InlineData("""{"action":{"type":"Action.Execute","verb":"snooze"}}""")]
    [InlineData("""{"action":{"type":"Action.Execute","verb":"snooze","data":"app"}}""")]
    [InlineData("""{"action":{"type":"Action.Execute","verb":"snooze","data":["app"]}}""")]
    [InlineData("""{"action":{"type":"Action.Execute","verb":"snooze","data":{"app":42}}}""")]
    [InlineData("""{"action":{"type":"Action.Execute","verb":"snooze","data":{"app":""}}}""")]
    [InlineData("""{"action":{"type":"Action.Execute","verb":"snooze","data":{}}}""")]
    public async Task CardDataThatIsMissingMistypedOrNotWellFormed_Is400_TheHandlerIsToldAndNeverRuns(string value)
    {
        var (router, services) = Build(r => r.CardAction<AppData, SnoozeVerbRoute>("snooze", TestJson.Default.AppData));

        var response = await router.RouteAsync(Turn(services, Invoke("adaptiveCard/action", value)), default);

        Assert.Equal(200, response.Status);
        Assert.Equal(400, Assert.IsType<AdaptiveCardInvokeResponse>(response.Body).StatusCode);
        var calls = services.GetRequiredService<Calls>();
        Assert.Empty(calls.Invokes);
        Assert.Single(calls.Rejections);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"data":"rotate"}""")]
    [InlineData("""{"data":{"app":""}}""")]
    public async Task ADialogWithoutWellFormedData_IsAnHttp400(string value)
    {
        var (router, services) = Build(r => r.TaskSubmit<AppData, SnoozeVerbRoute>(TestJson.Default.AppData));

        var response = await router.RouteAsync(Turn(services, Invoke("task/submit", value)), default);

        Assert.Equal(400, response.Status);
        Assert.IsType<InvokeError>(response.Body);
        Assert.Empty(services.GetRequiredService<Calls>().Invokes);
    }

    [Fact]
    public async Task ADialogsData_IsValueData()
    {
        var (router, services) = Build(r => r.TaskFetch<AppData, SnoozeVerbRoute>(TestJson.Default.AppData));

        await router.RouteAsync(Turn(services, Invoke("task/fetch", """{"data":{"app":"payroll"},"context":{"theme":"dark"}}""")), default);

        Assert.Equal("payroll", Assert.Single(services.GetRequiredService<Calls>().Invokes).Data.App);
    }

    [Fact]
    public async Task ASearch_ReadsWhatWasTyped_NotTeamsInitialRunFlag()
    {
        var (router, services) = Build(r => r.MessageExtensionQuery<FindAppRoute>("findApp"));

        await router.RouteAsync(Turn(services, Invoke("composeExtension/query", """{"commandId":"findApp","parameters":[{"name":"initialRun","value":"true"},{"name":"query","value":"  payroll "}]}""")), default);

        Assert.Equal(["payroll"], services.GetRequiredService<Calls>().Searches);
    }

    [Fact]
    public async Task ALinkToUnfurl_RoutesByInvokeName_WithItsUrl()
    {
        var (router, services) = Build(r => r.LinkUnfurl<UnfurlRoute>());

        var response = await router.RouteAsync(Turn(services, Invoke("composeExtension/queryLink", """{"url":"https://entra.microsoft.com/x"}""")), default);

        Assert.Equal("https://entra.microsoft.com/x", response.Body);
    }

    private static (ActivityRouter Router, IServiceProvider Services) Build(Action<ActivityRouteBuilder> routes, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => { if (logs is not null) { b.AddProvider(logs); } });
        services.AddSingleton<Calls>();
        services.AddRoutes(routes);
        services.AddSingleton<ActivityRouter>();
        var provider = services.BuildServiceProvider(validateScopes: true);
        var scope = provider.CreateScope().ServiceProvider;
        return (provider.GetRequiredService<ActivityRouter>(), scope);
    }

    private static TurnContext Turn(IServiceProvider services, Activity activity) => new(activity, services, null!);

    private static Activity Invoke(string name, string value) => new() { Type = "invoke", Name = name, Value = JsonDocument.Parse(value).RootElement.Clone() };

    /// <summary>What the handlers of one test's host saw (a singleton, so construction anywhere is counted).</summary>
    private sealed class Calls
    {
        public List<string> Names { get; } = [];

        public List<InvokeContext<AppData>> Invokes { get; } = [];

        public List<string> Rejections { get; } = [];

        public List<string?> Searches { get; } = [];

        public int Constructed { get; set; }
    }

    private sealed class MessageRoute : IActivityHandler
    {
        private readonly Calls _calls;

        public MessageRoute(Calls calls)
        {
            _calls = calls;
            calls.Constructed++;
        }

        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            _calls.Names.Add("message");
            return Task.CompletedTask;
        }
    }

    private sealed class AnotherMessageRoute(Calls calls) : IActivityHandler
    {
        public Task HandleAsync(TurnContext turn, CancellationToken cancellationToken)
        {
            calls.Names.Add("another");
            return Task.CompletedTask;
        }
    }

    private sealed class SnoozeVerbRoute : IInvokeHandler<AppData>
    {
        private readonly Calls _calls;

        public SnoozeVerbRoute(Calls calls)
        {
            _calls = calls;
            calls.Constructed++;
        }

        public Task<InvokeResponse> HandleAsync(InvokeContext<AppData> context, CancellationToken cancellationToken)
        {
            _calls.Invokes.Add(context);
            return Task.FromResult(InvokeResponse.Ok("snooze"));
        }

        public Task RejectedAsync(TurnContext turn, string problem, CancellationToken cancellationToken)
        {
            _calls.Rejections.Add(problem);
            return Task.CompletedTask;
        }
    }

    private sealed class FindAppRoute : IInvokeHandler<MessagingExtensionQuery>
    {
        private readonly Calls _calls;

        public FindAppRoute(Calls calls)
        {
            _calls = calls;
            calls.Constructed++;
        }

        public Task<InvokeResponse> HandleAsync(InvokeContext<MessagingExtensionQuery> context, CancellationToken cancellationToken)
        {
            _calls.Searches.Add(context.Data.SearchText());
            return Task.FromResult(InvokeResponse.Ok("findApp"));
        }
    }

    private sealed class UnfurlRoute : IInvokeHandler<AppBasedLinkQuery>
    {
        public Task<InvokeResponse> HandleAsync(InvokeContext<AppBasedLinkQuery> context, CancellationToken cancellationToken) =>
            Task.FromResult(InvokeResponse.Ok(context.Data.Url!));
    }

    private sealed class FailingTaskFetchRoute : IInvokeHandler<AppData>
    {
        public Task<InvokeResponse> HandleAsync(InvokeContext<AppData> context, CancellationToken cancellationToken) => throw new InvalidOperationException("secret-internal-detail");
    }

    private sealed class FailingVerbRoute : IInvokeHandler<AppData>
    {
        public Task<InvokeResponse> HandleAsync(InvokeContext<AppData> context, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }
}

/// <summary>Card data of the tests: which App, well-formed when it names one.</summary>
public sealed record AppData([property: JsonPropertyName("app")] string App) : IWellFormed
{
    public bool IsWellFormed() => App is { Length: > 0 and <= 128 };
}

[JsonSerializable(typeof(AppData))]
internal sealed partial class TestJson : JsonSerializerContext;
