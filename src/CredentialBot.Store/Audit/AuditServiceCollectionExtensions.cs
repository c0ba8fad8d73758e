using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CredentialBot.Store.Audit;

/// <summary>Registration of the audit chain's key, checkpoints and checkpoint loop (part of the store).</summary>
internal static class AuditServiceCollectionExtensions
{
    /// <summary>Call after the migrator is registered: the checkpoint service keys the store at start, so it must run after migrations.</summary>
    public static IServiceCollection AddAuditChain(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditCheckpointer>();
        services.AddHostedService<AuditCheckpointService>();
        return services;
    }
}
