using CredentialBot.Requests;
using CredentialBot.Shared.Commands;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Jobs;

namespace CredentialBot.Elevation;

/// <summary>Elevation: <c>elevate</c>, the request dialog, what approving one does, and the end of grants.</summary>
public static class ElevationServiceCollectionExtensions
{
    public static IServiceCollection AddElevation(this IServiceCollection services)
    {
        services.AddCommand<ElevateCommand>();
        services.AddDialog<ElevateDialog>();
        services.AddScoped<IApprovedRequest, ElevationApproval>();
        services.AddJanitorChore<EndedGrants>();
        return services;
    }
}
