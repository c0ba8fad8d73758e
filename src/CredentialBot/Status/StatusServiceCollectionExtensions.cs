using CredentialBot.BotFramework.Routing;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Status;

/// <summary>Status: an App's status card (one service draws it), <c>status</c>, <c>my apps</c>, <c>audit</c>, and the message extension.</summary>
public static class StatusServiceCollectionExtensions
{
    public static IServiceCollection AddStatus(this IServiceCollection services)
    {
        services.AddScoped<StatusCards>();
        services.AddCommand<StatusCommand>();
        services.AddCommand<MyAppsCommand>();
        services.AddCommand<AuditCommand>();
        return services.AddRoutes(routes => routes
            .MessageExtensionQuery<FindApp>(FindApp.CommandId)
            .LinkUnfurl<UnfurlAppLink>()
            .Button<AppActionData, RefreshStatus>(CardVerbs.RefreshStatus));
    }
}
