using CredentialBot.Requests;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Ownership;

/// <summary>Ownership: the owner dialog (add, transfer, remove), how changes are applied, and what approving one does.</summary>
public static class OwnershipServiceCollectionExtensions
{
    public static IServiceCollection AddOwnership(this IServiceCollection services)
    {
        services.AddScoped<OwnerChanges>();
        services.AddScoped<NewOwnerNotices>();
        services.AddDialog<OwnerDialog>();
        services.AddScoped<IApprovedRequest, OwnerChangeApproval>();
        return services;
    }
}
