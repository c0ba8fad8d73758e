using CredentialBot.Shared;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.AppRequests;

/// <summary>
/// Requesting a new app registration from Teams (<c>AppRequests</c> settings): <c>request app</c>, the request dialog,
/// the approval card's Approve / Deny / refresh, creating the App on approval, and undecided requests expiring.
/// </summary>
public static class AppRequestsServiceCollectionExtensions
{
    public static IServiceCollection AddAppRequests(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AppRequestsOptions, AppRequestsOptionsValidator>(configuration, AppRequestsOptions.SectionName);
        services.AddScoped<AppRequestApprovals>();
        services.AddScoped<AppRegistrationCreation>();
        services.AddCommand<RequestAppCommand>();
        services.AddDialog<AppRequestDialog>();
        services.AddJanitorChore<LapsedAppRequests>();
        return services.AddRoutes(routes => routes
            .Button<AppRequestActionData, ApproveAppRequest>(CardVerbs.ApproveAppRequest)
            .Button<AppRequestActionData, DenyAppRequest>(CardVerbs.DenyAppRequest)
            .Button<AppRequestActionData, ViewAppRequest>(CardVerbs.ViewAppRequest));
    }
}
