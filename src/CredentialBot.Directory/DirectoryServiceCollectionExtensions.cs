using CredentialBot.Directory.Diagnostics;
using CredentialBot.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Graph;
using Microsoft.Identity.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Authentication.Azure;

namespace CredentialBot.Directory;

/// <summary>Registration of the tenant directory.</summary>
public static class DirectoryServiceCollectionExtensions
{
    private static readonly string[] GraphScopes = ["https://graph.microsoft.com/.default"];

    /// <summary>
    /// Registers <see cref="ITenantDirectory"/> over Microsoft Graph with validated <see cref="GraphOptions"/>, and the
    /// bot's app identity (<see cref="AppIdentityServiceCollectionExtensions.AddAppIdentity"/>) that signs in to Graph.
    /// <paramref name="baseUrl"/> supplies the endpoint at first use instead of configuration (local mode's embedded
    /// Simulator listens on a port chosen at start); that endpoint takes no token.
    /// </summary>
    public static IServiceCollection AddTenantDirectory(this IServiceCollection services, IConfiguration configuration, Func<IServiceProvider, Uri>? baseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var simulator = baseUrl is not null || bool.TryParse(configuration["Graph:UseSimulator"], out var useSimulator) && useSimulator;
        services.AddAppIdentity(configuration, graphRequired: !simulator);
        services.AddOptions<GraphOptions>()
            .Bind(configuration.GetSection(GraphOptions.SectionName))
            .Configure(o => o.UseSimulator |= baseUrl is not null)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GraphOptions>, GraphOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GraphOptions>>().Value;
            var endpoint = baseUrl?.Invoke(sp).ToString().TrimEnd('/') ?? options.BaseUrl.TrimEnd('/');
            var handlers = GraphClientFactory.CreateDefaultHandlers();
            if (options.KeyCredentialRequests > 0)
            {
                handlers.Add(new KeyCredentialPacing(sp.GetRequiredService<KeyCredentialBudget>()));
            }

            // Last, after the SDK's retries and this side's pacing: each attempt on the wire is traced and measured.
            handlers.Add(new GraphWireTelemetry());

            var http = GraphClientFactory.Create(handlers);
            if (options.UseSimulator)
            {
                return new GraphServiceClient(http, new AnonymousAuthenticationProvider(), endpoint);
            }

            // The token goes to the configured Graph endpoint only (a national cloud, or a test's local Graph).
            var credential = new TokenAcquirerCredential(sp.GetRequiredKeyedService<ITokenAcquirer>(AppIdentityNames.Graph));
            var authentication = new AzureIdentityAuthenticationProvider(credential, [new Uri(endpoint).Host], scopes: GraphScopes);
            return new GraphServiceClient(http, authentication, endpoint);
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GraphOptions>>().Value;
            return new KeyCredentialBudget(Math.Max(1, options.KeyCredentialRequests), options.KeyCredentialWindow, options.KeyCredentialRequests > 0 ? options.KeyCredentialInteractiveReserve : 0, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new ScanResourceBudget(sp.GetRequiredService<IOptions<GraphOptions>>().Value.ScanResourceUnitsPerSecond, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITenantDirectory>(sp => new GraphTenantDirectory(sp.GetRequiredService<GraphServiceClient>(), sp.GetRequiredService<ScanResourceBudget>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<GraphTenantDirectory>>()));
        services.AddSingleton<ITenantAdministration, GraphTenantAdministration>();
        return services;
    }
}
