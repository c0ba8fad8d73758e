using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Abstractions;
using Microsoft.Identity.Web;
using Microsoft.Identity.Web.TokenCacheProviders.InMemory;

namespace CredentialBot.Directory;

/// <summary>Registration of the bot's app identity: Microsoft.Identity.Web token acquisition, one acquirer per consumer.</summary>
public static class AppIdentityServiceCollectionExtensions
{
    /// <summary>
    /// Reads and validates the app identity (<see cref="AppIdentityConfiguration"/>; a bad setting stops start-up with
    /// a message naming it), registers Identity.Web's token acquisition with an in-memory token cache, and a keyed
    /// <see cref="ITokenAcquirer"/> for each name in <see cref="AppIdentityNames"/>. <paramref name="graphRequired"/>:
    /// Graph reads a real tenant (a Simulator needs no identity).
    /// </summary>
    public static IServiceCollection AddAppIdentity(this IServiceCollection services, IConfiguration configuration, bool graphRequired)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<AppIdentityOptions>()
            .Configure(o =>
            {
                var read = AppIdentityConfiguration.Read(configuration, graphRequired);
                foreach (var (name, source) in read.Sources)
                {
                    o.Sources[name] = source;
                }

                o.Problems.AddRange(read.Problems);
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AppIdentityOptions>, AppIdentityOptionsValidator>());

        // Singleton: the connector client, Graph client and Key Vault credential live for the whole process.
        services.AddHttpClient();
        services.AddTokenAcquisition(isTokenAcquisitionSingleton: true);
        services.AddInMemoryTokenCaches();
        foreach (var name in new[] { AppIdentityNames.Bot, AppIdentityNames.Graph, AppIdentityNames.KeyVault })
        {
            services.TryAddKeyedSingleton<ITokenAcquirer>(name, (sp, _) => new ConfiguredTokenAcquirer(sp, name));
        }

        return services;
    }
}
