using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.BotFramework.Routing;

/// <summary>Registration of routes.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Declares routes (see <see cref="ActivityRouteBuilder"/>). May be called by every feature; two routes with one key stop
    /// start-up when the router is built, naming both handlers.
    /// </summary>
    public static IServiceCollection AddRoutes(this IServiceCollection services, Action<ActivityRouteBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new ActivityRouteBuilder(services));
        return services;
    }
}
