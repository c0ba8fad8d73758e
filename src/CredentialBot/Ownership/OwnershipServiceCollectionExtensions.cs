using CredentialBot.Requests;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Jobs;

namespace CredentialBot.Ownership;

/// <summary>
/// Ownership: the owner dialog (add, transfer, remove), how changes are applied, what approving one does, and the
/// janitor's look for owners who left.
/// </summary>
public static class OwnershipServiceCollectionExtensions
{
    public static IServiceCollection AddOwnership(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OwnershipOptions>().Bind(configuration.GetSection(OwnershipOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<OwnerChanges>();
        services.AddScoped<NewOwnerNotices>();
        services.AddDialog<OwnerDialog>();
        services.AddScoped<IApprovedRequest, OwnerChangeApproval>();
        services.AddJanitorChore<OwnerDepartures>();
        return services;
    }
}
