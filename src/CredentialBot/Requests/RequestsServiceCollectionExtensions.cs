using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Requests;

/// <summary>Requests: approval cards (Approve, Deny, refresh) for every kind of request, and the expiry of undecided ones.</summary>
public static class RequestsServiceCollectionExtensions
{
    public static IServiceCollection AddRequests(this IServiceCollection services)
    {
        services.AddScoped<Approvals>();
        services.AddJanitorChore<LapsedRequests>();
        return services.AddRoutes(routes => routes
            .Button<RequestActionData, ApproveRequest>(CardVerbs.ApproveRequest)
            .Button<RequestActionData, DenyRequest>(CardVerbs.DenyRequest)
            .Button<RequestActionData, ViewRequest>(CardVerbs.ViewRequest));
    }
}
