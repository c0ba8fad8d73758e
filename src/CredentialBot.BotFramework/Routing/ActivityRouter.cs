using Stopwatch = System.Diagnostics.Stopwatch;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CredentialBot.BotFramework.Diagnostics;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Schema;
using Microsoft.Extensions.Logging;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// The routing table: built once at start-up from the declared routes (a duplicate key stops start-up; no handler is
/// constructed), then a dictionary lookup per activity. Rules:
/// <list type="bullet">
/// <item><c>adaptiveCard/action</c> routes by <c>value.action.verb</c>; its data is <c>value.action.data</c>. A value
/// that is not an Action.Execute with a verb is 400.</item>
/// <item><c>composeExtension/query</c> routes by <c>value.commandId</c> (400 without one); its data is the value.</item>
/// <item><c>task/fetch</c> and <c>task/submit</c> route by name; their data is <c>value.data</c>.</item>
/// <item>Any other invoke routes by name, with the value as its data. An invoke without a route is 501.</item>
/// <item>Invoke data is read once into the route's type; data that does not parse or is not well-formed
/// (<see cref="IWellFormed"/>) is 400 before any handler runs.</item>
/// <item>Other activities route by type; one without a route is accepted and ignored (Teams adds types over time).</item>
/// <item>A handler that throws is logged; the caller gets a generic error, never exception details.</item>
/// </list>
/// </summary>
public sealed partial class ActivityRouter
{
    private readonly Dictionary<RouteKey, Route> _routes = [];
    private readonly ILogger<ActivityRouter> _logger;

    /// <summary>Builds the table from the declared routes.</summary>
    public ActivityRouter(IEnumerable<Route> routes, ILogger<ActivityRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(routes);
        _logger = logger;
        foreach (var route in routes)
        {
            if (!_routes.TryAdd(route.Key, route))
            {
                throw new InvalidOperationException($"Route {route.Key} is claimed by both {_routes[route.Key].HandlerType.Name} and {route.HandlerType.Name}.");
            }
        }
    }

    /// <summary>Routes one authenticated activity, traced as <see cref="BotTelemetry.ActivitySpan"/>.</summary>
    public async Task<InvokeResponse> RouteAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        using var span = BotTelemetry.Source.StartActivity(BotTelemetry.ActivitySpan);
        var started = Stopwatch.GetTimestamp();
        RouteKey? routeKey = null;
        var routed = false;
        var status = 500;
        try
        {
            var activity = turn.Activity;
            var isInvoke = string.Equals(activity.Type, ActivityTypes.Invoke, StringComparison.Ordinal);
            if (!TryGetKey(activity, isInvoke, out var key, out var payload, out var malformed))
            {
                status = malformed.Status;
                return malformed;
            }

            routeKey = key;
            if (!_routes.TryGetValue(key, out var route))
            {
                LogNoRoute(_logger, key);
                var unrouted = isInvoke ? InvokeResponse.NotImplemented() : InvokeResponse.Ok();
                status = unrouted.Status;
                return unrouted;
            }

            routed = true;
            try
            {
                var response = await route.InvokeAsync(turn, payload, cancellationToken).ConfigureAwait(false);
                status = response.Status;
                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // The router is the boundary: any handler failure becomes a generic error response.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerFailed(_logger, key, ex);
                // A card action's failure travels as 200 with an error body; the outcome is still an error.
                return Failure(key);
            }
        }
        finally
        {
            BotTelemetry.Record(span, routeKey, routed, status, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// For Action.Execute, Teams renders only a body with <c>statusCode</c>; elsewhere the HTTP status carries it.
    /// </summary>
    private static InvokeResponse Failure(RouteKey key) => key.Kind == RouteKind.CardAction
        ? InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(500, "InternalError", "Something went wrong. Please try again."))
        : new InvokeResponse(500, new InvokeError("InternalError", "Something went wrong. Please try again."));

    private static bool TryGetKey(Activity activity, bool isInvoke, out RouteKey key, out JsonElement? payload, out InvokeResponse malformed)
    {
        malformed = InvokeResponse.NotImplemented();
        payload = null;
        key = default;
        if (!isInvoke)
        {
            key = RouteKey.ForActivity(activity.Type ?? string.Empty);
            return true;
        }

        var name = activity.Name ?? string.Empty;
        switch (name)
        {
            case InvokeNames.AdaptiveCardAction:
                if (ReadCardAction(activity.Value) is not { Type: "Action.Execute", Verb.Length: > 0 } action)
                {
                    malformed = InvokeResponse.BadRequest("BadRequest", "adaptiveCard/action needs value.action of type Action.Execute with a verb.");
                    return false;
                }

                key = RouteKey.ForCardAction(action.Verb);
                payload = action.Data;
                return true;

            case InvokeNames.MessagingExtensionQuery:
                if (ReadString(activity.Value, "commandId") is not { Length: > 0 } commandId)
                {
                    malformed = InvokeResponse.BadRequest("BadRequest", $"{name} needs value.commandId.");
                    return false;
                }

                key = RouteKey.ForMessageExtension(commandId);
                payload = activity.Value;
                return true;

            case InvokeNames.TaskFetch or InvokeNames.TaskSubmit:
                key = RouteKey.ForInvoke(name);
                payload = Read(activity.Value, BotJsonContext.Default.TaskModuleRequest)?.Data;
                return true;

            default:
                key = RouteKey.ForInvoke(name);
                payload = activity.Value;
                return true;
        }
    }

    private static AdaptiveCardInvokeAction? ReadCardAction(JsonElement? value) =>
        Read(value, BotJsonContext.Default.AdaptiveCardInvokeValue)?.Action;

    /// <summary>The invoke's value as the protocol's own record; null when it is not an object of that shape.</summary>
    private static T? Read<T>(JsonElement? value, JsonTypeInfo<T> type)
        where T : class
    {
        if (value is not { ValueKind: JsonValueKind.Object } json)
        {
            return null;
        }

        try
        {
            return json.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? ReadString(JsonElement? value, string property) =>
        value is { ValueKind: JsonValueKind.Object } json && json.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String
            ? found.GetString()
            : null;

    [LoggerMessage(Level = LogLevel.Debug, Message = "No route for {Key}")]
    private static partial void LogNoRoute(ILogger logger, RouteKey key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {Key} failed")]
    private static partial void LogHandlerFailed(ILogger logger, RouteKey key, Exception exception);
}
