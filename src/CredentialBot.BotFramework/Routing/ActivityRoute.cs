using System.Text.Json;
using CredentialBot.BotFramework.Invokes;
using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.BotFramework.Routing;

/// <summary>A route for a non-invoke activity type; the answer is always 200.</summary>
internal sealed class ActivityRoute<THandler>(string activityType) : Route(RouteKey.ForActivity(activityType), typeof(THandler))
    where THandler : class, IActivityHandler
{
    internal override async Task<InvokeResponse> InvokeAsync(TurnContext turn, JsonElement? payload, CancellationToken cancellationToken)
    {
        await turn.Services.GetRequiredService<THandler>().HandleAsync(turn, cancellationToken).ConfigureAwait(false);
        return InvokeResponse.Ok();
    }
}
