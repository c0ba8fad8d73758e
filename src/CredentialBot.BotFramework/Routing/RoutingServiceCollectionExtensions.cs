using Microsoft.Extensions.DependencyInjection;

namespace CredentialBot.BotFramework.Routing;

/// <summary>Registration of routes.</summary>
public static class RoutingServiceCollectionExtensions
{
    /// <summary>
    /// Declares routes (see <see cref="RouteBuilder"/>). May be called by every feature; two routes with one key stop
    /// start-up when the router is built, naming both handlers.
    /// </summary>
    public static IServiceCollection AddRoutes(this IServiceCollection services, Action<RouteBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(new RouteBuilder(services));
        return services;
    }
}
