using CredentialBot.Directory;

namespace CredentialBot.Hosting;

/// <summary>The tenant behind the directory: Microsoft Graph, or in local mode the Simulator running inside the host.</summary>
public static class TenantServiceCollectionExtensions
{
    public static IServiceCollection AddTenant(this IServiceCollection services, IConfiguration configuration)
    {
        if (!LocalMode.UsesEmbeddedSimulator(configuration))
        {
            return services.AddTenantDirectory(configuration);
        }

        // Registered before anything that reads the directory: hosted services start in order.
        services.AddSingleton<EmbeddedSimulator>();
        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedSimulator>());
        return services.AddTenantDirectory(configuration, sp => sp.GetRequiredService<EmbeddedSimulator>().BaseAddress);
    }
}
