namespace CredentialBot.BotFramework.Routing;

/// <summary>
/// Handles one non-invoke activity type (message, conversationUpdate, installationUpdate, …). Registered with
/// <see cref="ActivityRouteBuilder.Activity{THandler}(string)"/> and resolved per request from the request's scope. The
/// channel expects no body: the answer is 200 once the handler returns.
/// </summary>
public interface IActivityHandler
{
    /// <summary>Handles the activity.</summary>
    Task HandleAsync(TurnContext turn, CancellationToken cancellationToken);
}
