using Azure.Security.KeyVault.Certificates;
using CredentialBot.Directory;
using CredentialBot.Domain;
using CredentialBot.Rotation.KeyVault;
using CredentialBot.Shared.Dialogs;

namespace CredentialBot.Rotation.Certificates;

/// <summary>
/// Certificate rotation: the dialog, the rotation itself, Key Vault as the maker of certificates (with the same
/// credential as Key Vault delivery of secrets), and the removal of replaced certificates by the rotation janitor.
/// </summary>
public static class CertificateRotationServiceCollectionExtensions
{
    public static IServiceCollection AddCertificateRotation(this IServiceCollection services)
    {
        services.AddSingleton(_ => new CertificateClientOptions());
        services.AddSingleton<ICertificateVault>(sp => new KeyVaultCertificates(
            sp.GetRequiredService<KeyVaultDeliveryCredential>().Credential,
            sp.GetRequiredService<CertificateClientOptions>(),
            sp.GetRequiredService<ILogger<KeyVaultCertificates>>()));
        services.AddScoped<CertificateRotation>();
        services.AddScoped<OldCredentialRemover>();
        services.AddDialog<CertificateDialog>();
        return services;
    }
}
