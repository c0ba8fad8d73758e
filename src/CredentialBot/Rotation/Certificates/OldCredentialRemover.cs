using CredentialBot.Domain;
using CredentialBot.Store.Services;
using Microsoft.Graph.Models.ODataErrors;

namespace CredentialBot.Rotation.Certificates;

/// <summary>
/// Removes a replaced credential whose grace period is over, by its kind: a certificate through the key-credentials
/// update (keeping the App's other certificates), a secret through removePassword. The kind is read from the App's
/// snapshot, so a removal scheduled before certificates could be rotated is still a secret's.
/// </summary>
public sealed partial class OldCredentialRemover(AppCatalog catalog, ITenantAdministration administration, ILogger<OldCredentialRemover> logger)
{
    /// <summary>True when removed, false when it was already gone, null when the directory refused or failed (try again next round).</summary>
    public async Task<bool?> RemoveAsync(SecretRemoval removal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(removal);
        var app = await catalog.GetAsync(removal.AppObjectId, cancellationToken);
        var isCertificate = app?.Credentials.Any(c => c.KeyId == removal.KeyId && c.Kind == CredentialKind.Certificate) == true;
        if (isCertificate)
        {
            var removed = await administration.RemoveCertificateAsync(removal.AppKind, removal.AppObjectId, removal.KeyId, cancellationToken);
            if (removed.Refusal is { } refusal)
            {
                if (refusal.Kind == DirectoryRefusalKind.NotFound)
                {
                    return false;
                }

                LogCertificateRemovalRefused(logger, removal.AppObjectId, refusal.Reason);
                return null;
            }

            return true;
        }

        try
        {
            return await administration.RemoveSecretAsync(removal.AppKind, removal.AppObjectId, removal.KeyId, cancellationToken);
        }
        catch (ODataError error)
        {
            LogSecretRemovalFailed(logger, removal.AppObjectId, error);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove an old secret of {App}; retrying next round")]
    private static partial void LogSecretRemovalFailed(ILogger logger, string app, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove an old certificate of {App}: {Reason}; retrying next round")]
    private static partial void LogCertificateRemovalRefused(ILogger logger, string app, string reason);
}
