using System.Text.Json;
using CredentialBot.BotFramework;
using CredentialBot.BotFramework.Hosting;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Routing;
using CredentialBot.BotFramework.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.BotFramework.Tests.Routing;

/// <summary>The routing table: one key per handler, looked up by type, invoke name, card verb or command id.</summary>
public sealed class ActivityRouterTests
{
    [Fact]
    public async Task Messages_RouteByActivityType()
    {
        var (router, services) = Build(s => s.AddActivityHandler<MessageRoute>());

        var response = await router.RouteAsync(Turn(services, new Activity { Type = "message" }), default);

        Assert.Equal(200, response.Status);
        Assert.Equal("message", response.Body);
    }

    [Fact]
    public async Task CardActions_RouteByVerb()
    {
        var (router, services) = Build(s => s.AddActivityHandler<SnoozeVerbRoute>());

        var response = await router.RouteAsync(Turn(services, Invoke("adaptiveCard/action", """{"action":{"type":"Action.Execute","verb":"snooze","data":{}}}""")), default);

        Assert.Equal("snooze", response.Body);
    }

    [Fact]
    public async Task ACardActionWithoutAVerb_IsABadRequest()
    {
        var (router, services) = Build(s => s.AddActivityHandler<SnoozeVerbRoute>());

        var response = await router.RouteAsync(Turn(services, Invoke("adaptiveCard/action", """{"action":{"type":"Action.Execute"}}""")), default);

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task MessageExtensionQueries_RouteByCommandId()
    {
        var (router, services) = Build(s => s.AddActivityHandler<FindAppRoute>());

        var response = await router.RouteAsync(Turn(services, Invoke("composeExtension/query", """{"commandId":"findApp","parameters":[]}""")), default);

        Assert.Equal("findApp", response.Body);
    }

    [Fact]
    public async Task AnUnknownInvoke_Is501()
    {
        var (router, services) = Build(s => s.AddActivityHandler<MessageRoute>());

        var response = await router.RouteAsync(Turn(services, Invoke("someFuture/invoke", "{}")), default);

        Assert.Equal(501, response.Status);
    }

    [Fact]
    public async Task AnUnknownActivityType_IsAcknowledgedAndIgnored()
    {
        var (router, services) = Build(s => s.AddActivityHandler<MessageRoute>());

        var response = await router.RouteAsync(Turn(services, new Activity { Type = "messageReaction" }), default);

        Assert.Equal(200, response.Status);
        Assert.Null(response.Body);
    }

    [Fact]
    public void TwoHandlersForOneKey_StopStartUp_NamingBoth()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(s => s.AddActivityHandler<MessageRoute>().AddActivityHandler<AnotherMessageRoute>()));

        Assert.Contains(nameof(MessageRoute), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(AnotherMessageRoute), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingHandler_AnswersAGenericError_AndLogsTheException()
    {
        var logs = new ListLoggerProvider();
        var (router, services) = Build(s => s.AddActivityHandler<FailingTaskFetchRoute>(), logs);

        var response = await router.RouteAsync(Turn(services, Invoke("task/fetch", "{}")), default);

        Assert.Equal(500, response.Status);
        var body = JsonSerializer.Serialize(response.Body, response.Body!.GetType(), BotJsonContext.Default);
        Assert.DoesNotContain("secret-internal-detail", body, StringComparison.Ordinal);
        Assert.DoesNotContain("at CredentialBot", body, StringComparison.Ordinal);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "secret-internal-detail");
    }

    [Fact]
    public async Task AFailingCardAction_AnswersAnAdaptiveCardErrorWith200_AsTeamsRequires()
    {
        var (router, services) = Build(s => s.AddActivityHandler<FailingVerbRoute>());

        var response = await router.RouteAsync(Turn(services, Invoke("adaptiveCard/action", """{"action":{"type":"Action.Execute","verb":"explode"}}""")), default);

        Assert.Equal(200, response.Status);
        var body = Assert.IsType<AdaptiveCardInvokeResponse>(response.Body);
        Assert.Equal(500, body.StatusCode);
    }

    private static (ActivityRouter Router, IServiceProvider Services) Build(Action<IServiceCollection> configure, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => { if (logs is not null) { b.AddProvider(logs); } });
        configure(services);
        services.AddSingleton<ActivityRouter>();
        var provider = services.BuildServiceProvider(validateScopes: true);
        return (provider.GetRequiredService<ActivityRouter>(), provider.CreateScope().ServiceProvider);
    }

    private static TurnContext Turn(IServiceProvider services, Activity activity) => new(activity, services, null!);

    private static Activity Invoke(string name, string value) => new() { Type = "invoke", Name = name, Value = JsonDocument.Parse(value).RootElement.Clone() };

    private sealed class MessageRoute : IActivityHandler
    {
        public RouteKey Key => RouteKey.ForActivity("message");

        public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => Task.FromResult(InvokeResponse.Ok("message"));
    }

    private sealed class AnotherMessageRoute : IActivityHandler
    {
        public RouteKey Key => RouteKey.ForActivity("message");

        public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => Task.FromResult(InvokeResponse.Ok("another"));
    }

    private sealed class SnoozeVerbRoute : IActivityHandler
    {
        public RouteKey Key => RouteKey.ForCardAction("snooze");

        public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => Task.FromResult(InvokeResponse.Ok("snooze"));
    }

    private sealed class FindAppRoute : IActivityHandler
    {
        public RouteKey Key => RouteKey.ForMessageExtension("findApp");

        public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => Task.FromResult(InvokeResponse.Ok("findApp"));
    }

    private sealed class FailingTaskFetchRoute : IActivityHandler
    {
        public RouteKey Key => RouteKey.ForInvoke("task/fetch");

        public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => throw new InvalidOperationException("secret-internal-detail");
    }

    private sealed class FailingVerbRoute : IActivityHandler
    {
        public RouteKey Key => RouteKey.ForCardAction("explode");

        public Task<InvokeResponse> HandleAsync(TurnContext turn, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }
}
