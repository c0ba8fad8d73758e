using Azure.Security.KeyVault.Secrets;
using CredentialBot.Directory;
using CredentialBot.BotFramework.Routing;
using CredentialBot.Rotation.Automatic;
using CredentialBot.Rotation.Certificates;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Rotation.Receipts;
using CredentialBot.Shared;
using CredentialBot.Shared.Cards;
using CredentialBot.Shared.Dialogs;
using CredentialBot.Shared.Jobs;
using CredentialBot.Shared.Pipeline;

namespace CredentialBot.Rotation;

/// <summary>Rotation: "Rotate now" (dialog, Key Vault delivery), certificates, hands-free rotation, "Keep the old secret", and the janitor's removal of replaced credentials.</summary>
public static class RotationServiceCollectionExtensions
{
    public static IServiceCollection AddRotation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<KeyVaultOptions, KeyVaultOptionsValidator>(configuration, KeyVaultOptions.SectionName);
        services.AddSingleton(sp => new KeyVaultDeliveryCredential(AzureCredentials.ForKeyVault(sp)));
        services.AddSingleton(_ => new SecretClientOptions());
        services.AddSingleton<KeyVaultDelivery>();
        services.AddScoped<SecretRotation>();
        services.AddScoped<UnrecordedCredentials>();
        services.AddDialog<RotateDialog>();
        services.AddCertificateRotation();
        services.AddReceipts(configuration);
        services.AddAutomaticRotation(configuration);
        services.AddJanitorChore<OldSecretRemovals>();
        return services.AddRoutes(routes => routes.Button<RemovalActionData, KeepOldSecret>(CardVerbs.KeepOldSecret));
    }
}
