using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Admin.Policies;

/// <summary>Policies (admins): <c>policies</c>, <c>policy &lt;name&gt;</c> and the editor.</summary>
public static class PoliciesServiceCollectionExtensions
{
    public static IServiceCollection AddPolicyAdministration(this IServiceCollection services)
    {
        services.AddScoped<ScopedPolicies>();
        services.AddCommand<PoliciesCommand>();
        services.AddCommand<PolicyCommand>();
        return services.AddDialog<PolicyDialog>();
    }
}
