using CredentialBot.BotFramework.Invokes;

namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// Handles one invoke route with typed data. Registered with a <see cref="ActivityRouteBuilder"/> method that names its key,
/// so building the routing table never constructs a handler; resolved per request from the request's scope.
/// </summary>
/// <typeparam name="TData">The invoke's data, read by the router.</typeparam>
public interface IInvokeHandler<TData>
    where TData : class
{
    /// <summary>Answers the invoke; the result is the HTTP status and body.</summary>
    Task<InvokeResponse> HandleAsync(InvokeContext<TData> context, CancellationToken cancellationToken);

    /// <summary>
    /// Told when the router refused the invoke's data as malformed, just before it answers 400, so a refusal can be
    /// recorded. Nothing to do by default.
    /// </summary>
    Task RejectedAsync(TurnContext turn, string problem, CancellationToken cancellationToken) => Task.CompletedTask;
}
