using CredentialBot.Shared;
using CredentialBot.Shared.Commands;

namespace CredentialBot.Admin.Export;

/// <summary>Exports (admins): <c>export audit</c>, <c>export compliance</c>, and the signed download endpoint.</summary>
public static class ExportServiceCollectionExtensions
{
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ExportOptions, ExportOptionsValidator>(configuration, ExportOptions.SectionName);
        services.AddSingleton<ExportLinks>();
        services.AddScoped<Exports>();
        services.AddCommand<ExportAuditCommand>();
        return services.AddCommand<ExportComplianceCommand>();
    }
}
