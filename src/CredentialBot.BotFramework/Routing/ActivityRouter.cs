using System.Text.Json;
using CredentialBot.BotFramework.Invokes;
using CredentialBot.BotFramework.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// The routing table: built once at start-up from every registered handler (a duplicate key stops start-up),
/// then a dictionary lookup per activity. Rules:
/// <list type="bullet">
/// <item><c>adaptiveCard/action</c> routes by <c>value.action.verb</c>; a malformed value is 400.</item>
/// <item><c>composeExtension/query</c>, <c>fetchTask</c> and <c>submitAction</c> route by <c>value.commandId</c>.</item>
/// <item>Any other invoke routes by name. An invoke without a route is 501.</item>
/// <item>Other activities route by type; one without a route is accepted and ignored (Teams adds types over time).</item>
/// <item>A handler that throws is logged; the caller gets a generic error, never exception details.</item>
/// </list>
/// </summary>
public sealed partial class ActivityRouter
{
    private static readonly HashSet<string> CommandIdInvokes = new(StringComparer.Ordinal)
    {
        InvokeNames.MessagingExtensionQuery,
        InvokeNames.MessagingExtensionFetchTask,
        InvokeNames.MessagingExtensionSubmitAction,
    };

    private readonly Dictionary<RouteKey, Type> _routes = [];
    private readonly ILogger<ActivityRouter> _logger;

    /// <summary>Builds the table by asking each registered handler for its key.</summary>
    public ActivityRouter(IEnumerable<ActivityHandlerRegistration> registrations, IServiceScopeFactory scopes, ILogger<ActivityRouter> logger)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(scopes);
        _logger = logger;
        using var scope = scopes.CreateScope();
        foreach (var registration in registrations)
        {
            var handler = (IActivityHandler)scope.ServiceProvider.GetRequiredService(registration.HandlerType);
            if (_routes.TryGetValue(handler.Key, out var existing))
            {
                throw new InvalidOperationException($"Route {handler.Key} is claimed by both {existing.Name} and {registration.HandlerType.Name}.");
            }

            _routes.Add(handler.Key, registration.HandlerType);
        }
    }

    /// <summary>The keys of the table, for diagnostics and tests.</summary>
    public IReadOnlyCollection<RouteKey> Keys => _routes.Keys;

    /// <summary>Routes one authenticated activity.</summary>
    public async Task<InvokeResponse> RouteAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        var isInvoke = string.Equals(activity.Type, ActivityTypes.Invoke, StringComparison.Ordinal);
        if (!TryGetKey(activity, isInvoke, out var key, out var malformed))
        {
            return malformed ?? InvokeResponse.NotImplemented();
        }

        if (!_routes.TryGetValue(key, out var handlerType))
        {
            LogNoRoute(_logger, key);
            return isInvoke ? InvokeResponse.NotImplemented() : InvokeResponse.Ok();
        }

        try
        {
            var handler = (IActivityHandler)turn.Services.GetRequiredService(handlerType);
            return await handler.HandleAsync(turn, cancellationToken).ConfigureAwait(false);
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
            return Failure(key);
        }
    }

    /// <summary>
    /// For Action.Execute, Teams renders only a body with <c>statusCode</c>; elsewhere the HTTP status carries it.
    /// </summary>
    private static InvokeResponse Failure(RouteKey key) => key.Kind == RouteKind.CardAction
        ? InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(500, "InternalError", "Something went wrong. Please try again."))
        : new InvokeResponse(500, new InvokeError("InternalError", "Something went wrong. Please try again."));

    private static bool TryGetKey(Activity activity, bool isInvoke, out RouteKey key, out InvokeResponse? malformed)
    {
        malformed = null;
        key = default;
        if (!isInvoke)
        {
            key = RouteKey.ForActivity(activity.Type ?? string.Empty);
            return true;
        }

        var name = activity.Name ?? string.Empty;
        if (name == InvokeNames.AdaptiveCardAction)
        {
            var verb = ReadString(activity.Value, "action", "verb");
            if (string.IsNullOrEmpty(verb) || ReadString(activity.Value, "action", "type") is not "Action.Execute")
            {
                malformed = InvokeResponse.BadRequest("BadRequest", "adaptiveCard/action needs value.action of type Action.Execute with a verb.");
                return false;
            }

            key = RouteKey.ForCardAction(verb);
            return true;
        }

        if (CommandIdInvokes.Contains(name))
        {
            var commandId = ReadString(activity.Value, "commandId");
            if (string.IsNullOrEmpty(commandId))
            {
                malformed = InvokeResponse.BadRequest("BadRequest", $"{name} needs value.commandId.");
                return false;
            }

            key = RouteKey.ForMessageExtension(commandId);
            return true;
        }

        key = RouteKey.ForInvoke(name);
        return true;
    }

    private static string? ReadString(JsonElement? value, params string[] path)
    {
        if (value is not { ValueKind: JsonValueKind.Object } current)
        {
            return null;
        }

        foreach (var segment in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(segment, out current))
            {
                return null;
            }
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString() : null;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "No route for {Key}")]
    private static partial void LogNoRoute(ILogger logger, RouteKey key);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for {Key} failed")]
    private static partial void LogHandlerFailed(ILogger logger, RouteKey key, Exception exception);
}
