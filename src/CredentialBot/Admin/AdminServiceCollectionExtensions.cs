using CredentialBot.Admin.Compliance;
using CredentialBot.Admin.Export;
using CredentialBot.Admin.Import;
using CredentialBot.Admin.Policies;
using CredentialBot.Admin.Posture;
using CredentialBot.Admin.ScanNow;
using CredentialBot.Admin.Scopes;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Admin;

/// <summary>
/// Admin: compliance, policies, owner import, exports, scan now and admin scopes — each refused, and audited, for anyone
/// else; scoped admins get each (but scopes) for the Apps of their scopes.
/// </summary>
public static class AdminServiceCollectionExtensions
{
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ComplianceReport>();
        services.AddScoped<PostureSurvey>();
        services.AddScoped<ScopedCompliance>();
        services.AddCommand<ComplianceCommand>();
        services.AddCommand<ScopesCommand>();
        services.AddDialog<ScopeDialog>();
        services.AddPolicyAdministration();
        services.AddOwnerImport(configuration);
        services.AddExports(configuration);
        services.AddSingleton<BackgroundScans>();
        return services.AddCommand<ScanNowCommand>();
    }

    /// <summary>The download endpoint behind export links.</summary>
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapExports();
        return endpoints;
    }
}
