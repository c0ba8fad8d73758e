using CredentialBot.BotFramework.Authentication;
using CredentialBot.BotFramework.Connector;
using CredentialBot.BotFramework.Routing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CredentialBot.BotFramework.Hosting;

/// <summary>Registration of the Bot Framework protocol layer.</summary>
public static class BotFrameworkServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="BotAuthOptions"/> (section "Bot"), and registers inbound authentication (with the
    /// first middleware of the pipeline, which records each request's socket address for local mode), the Connector
    /// client (no outbound token in local mode) and the router; routes are declared with <c>AddRoutes</c>.
    /// </summary>
    public static IServiceCollection AddBotFramework(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BotAuthOptions>().Bind(configuration.GetSection(BotAuthOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BotAuthOptions>, BotAuthOptionsValidator>();
        services.AddOptions<ConnectorRetryOptions>().Bind(configuration.GetSection(ConnectorRetryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ConnectorRetryOptions>, ConnectorRetryOptionsValidator>();
        services.AddSingleton<IValidateOptions<BotAuthOptions>, ConnectorIdentityValidator>();
        services.TryAddSingleton(TimeProvider.System);

        // Ahead of every other startup filter (the forwarded-headers one included), so its middleware runs first and
        // records the socket's remote address before anything can rewrite it.
        if (!services.Any(d => d.ImplementationType == typeof(SocketRemoteAddress.CaptureFilter)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter, SocketRemoteAddress.CaptureFilter>());
        }

        // The key cache is a singleton holding one HttpClient from the factory (metadata calls are rare).
        services.AddHttpClient(nameof(BotSigningKeys), client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<BotSigningKeys>(sp => ActivatorUtilities.CreateInstance<BotSigningKeys>(sp, sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(BotSigningKeys))));
        services.AddSingleton<BotRequestAuthenticator>();

        services.AddSingleton<ServiceUrlPolicy>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ConnectorRetryOptions>>().Value);
        // Outside local mode the bot's ITokenAcquirer (keyed "Bot") comes from the app identity the host registers
        // (Microsoft.Identity.Web token acquisition).
        services.TryAddSingleton<IConnectorTokenProvider>(sp => sp.GetRequiredService<IOptions<BotAuthOptions>>().Value.IsLocalMode
            ? new NoConnectorToken()
            : new TokenAcquirerConnectorTokenProvider(sp.GetRequiredKeyedService<Microsoft.Identity.Abstractions.ITokenAcquirer>(TokenAcquirerConnectorTokenProvider.IdentityName)));
        services.AddSingleton<ConnectorTokenSource>();
        // The host replaces this with the tenant's shared budget; without one, requests are not counted.
        services.TryAddSingleton<IConnectorRequestBudget, UnlimitedConnectorRequests>();
        services.AddHttpClient<IConnectorClient, ConnectorClient>(client => client.Timeout = TimeSpan.FromSeconds(30));

        services.AddSingleton<ActivityRouter>();
        return services;
    }
}
