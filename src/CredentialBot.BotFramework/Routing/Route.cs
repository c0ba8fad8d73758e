using System.Text.Json;
using CredentialBot.BotFramework.Invokes;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// One entry of the routing table: the key it answers and the handler type that answers it. Routes are declared at
/// registration (<see cref="ActivityRouteBuilder"/>), so the table is built without constructing any handler.
/// </summary>
public abstract class Route
{
    private protected Route(RouteKey key, Type handlerType)
    {
        Key = key;
        HandlerType = handlerType;
    }

    /// <summary>The key this route answers.</summary>
    public RouteKey Key { get; }

    /// <summary>The handler type, resolved per request from the request's scope.</summary>
    public Type HandlerType { get; }

    /// <summary>Runs the route for one activity; <paramref name="payload"/> is the part of its value that holds the data.</summary>
    internal abstract Task<InvokeResponse> InvokeAsync(TurnContext turn, JsonElement? payload, CancellationToken cancellationToken);

    /// <summary>
    /// The answer to data that does not parse or is not well-formed. For Action.Execute, Teams renders only a body with
    /// <c>statusCode</c> (sent with HTTP 200); elsewhere the HTTP status carries it.
    /// </summary>
    internal static InvokeResponse Malformed(RouteKey key) => key.Kind == RouteKind.CardAction
        ? InvokeResponse.Ok(AdaptiveCardInvokeResponse.Error(400, "BadRequest", "That action was not understood; nothing was changed."))
        : InvokeResponse.BadRequest("BadRequest", $"The data of this {key.Name} request was not understood; nothing was changed.");
}
