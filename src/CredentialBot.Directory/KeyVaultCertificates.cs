using System.Text.RegularExpressions;
using Azure;
using Azure.Core;
using Azure.Security.KeyVault.Certificates;
using CredentialBot.Domain;
using Microsoft.Extensions.Logging;

namespace CredentialBot.Directory;

/// <summary>
/// Certificates made by Azure Key Vault for an App: the vault creates the key pair and a self-issued certificate under a
/// policy, the bot polls the operation until the certificate is issued and takes only its public part (<c>cer</c>). The key
/// is created <b>not exportable</b>, so the private key never leaves the vault — not to the bot, not through the
/// certificate's backing secret. Access needs the Key Vault "certificates create" and "get" permissions (RBAC role Key
/// Vault Certificates Officer, or an access policy with those two); reading the newest version needs "get" alone. Which vaults may be used is the caller's decision (the
/// host keeps an allow-list); this class takes the vault it is given.
/// </summary>
public sealed partial class KeyVaultCertificates(TokenCredential credential, CertificateClientOptions options, ILogger<KeyVaultCertificates> logger) : ICertificateVault
{
    /// <summary>How often the creation is polled; Key Vault usually issues a self-signed certificate within seconds.</summary>
    public TimeSpan PollingInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<DirectoryResult<PublicCertificate>> CreateCertificateAsync(Uri vault, string name, NewCertificatePolicy policy, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(policy);
        var problems = policy.Problems().ToList();
        problems.AddRange(AddressProblems(vault, name));
        if (problems.Count > 0)
        {
            return Refused(DirectoryRefusalKind.Invalid, string.Join(' ', problems));
        }

        var vaultPolicy = new CertificatePolicy(WellKnownIssuerNames.Self, policy.Subject.Trim())
        {
            KeyType = CertificateKeyType.Rsa,
            KeySize = policy.KeySize,
            ValidityInMonths = policy.ValidityMonths,
            Exportable = false,
            ReuseKey = false,
            ContentType = CertificateContentType.Pkcs12,
        };
        var client = new CertificateClient(vault, credential, options);
        try
        {
            var operation = await client.StartCreateCertificateAsync(name, vaultPolicy, enabled: true, tags: tags?.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
            var issued = await operation.WaitForCompletionAsync(PollingInterval, cancellationToken).ConfigureAwait(false);
            if (PublicCertificates.TryRead(issued.Value.Cer) is not { } certificate)
            {
                return Refused(DirectoryRefusalKind.Unavailable, $"Key Vault issued '{name}' but returned no readable certificate.");
            }

            LogCreated(logger, name, vault.Host, certificate.Thumbprint);
            return new DirectoryResult<PublicCertificate>(certificate);
        }
        catch (RequestFailedException error)
        {
            LogRefused(logger, name, vault.Host, error.Status, error.ErrorCode);
            return Refused(error, vault, name, "create");
        }
        catch (Exception error) when (GraphRefusals.IsTransient(error, cancellationToken))
        {
            return Refused(DirectoryRefusalKind.Unavailable, $"Key Vault {vault.Host} could not be reached ({GraphRefusals.Describe(error)}). Try again later.");
        }
    }

    public async Task<DirectoryResult<VaultCertificate>> GetCurrentAsync(Uri vault, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vault);
        if (AddressProblems(vault, name).ToList() is { Count: > 0 } problems)
        {
            return new DirectoryResult<VaultCertificate>(new DirectoryRefusal(DirectoryRefusalKind.Invalid, string.Join(' ', problems)));
        }

        var client = new CertificateClient(vault, credential, options);
        try
        {
            var current = (await client.GetCertificateAsync(name, cancellationToken).ConfigureAwait(false)).Value;
            if (PublicCertificates.TryRead(current.Cer) is not { } certificate)
            {
                return new DirectoryResult<VaultCertificate>(new DirectoryRefusal(DirectoryRefusalKind.Unavailable, $"Key Vault {vault.Host} returned no readable certificate for '{name}'."));
            }

            return new DirectoryResult<VaultCertificate>(new VaultCertificate(certificate, current.Id, new Dictionary<string, string>(current.Properties.Tags, StringComparer.Ordinal)));
        }
        catch (RequestFailedException error)
        {
            return new DirectoryResult<VaultCertificate>(Refused(error, vault, name, "read").Refusal!);
        }
        catch (Exception error) when (GraphRefusals.IsTransient(error, cancellationToken))
        {
            return new DirectoryResult<VaultCertificate>(Refused(DirectoryRefusalKind.Unavailable, $"Key Vault {vault.Host} could not be reached ({GraphRefusals.Describe(error)}). Try again later.").Refusal!);
        }
    }

    private static IEnumerable<string> AddressProblems(Uri vault, string name)
    {
        if (string.IsNullOrEmpty(name) || !CertificateName().IsMatch(name))
        {
            yield return "A Key Vault certificate name is 1 to 127 letters, digits and dashes.";
        }

        if (!vault.IsAbsoluteUri || vault.Scheme != Uri.UriSchemeHttps)
        {
            yield return "The vault must be an https:// address.";
        }
    }

    /// <summary>What Key Vault's answer means for the caller, with the permission to give when it is one.</summary>
    private static DirectoryResult<PublicCertificate> Refused(RequestFailedException error, Uri vault, string name, string verb) =>
        Refused(
            error.Status switch
            {
                401 or 403 => DirectoryRefusalKind.MissingPermission,
                404 => DirectoryRefusalKind.NotFound,
                400 or 409 => DirectoryRefusalKind.Invalid,
                _ => DirectoryRefusalKind.Unavailable,
            },
            error.Status switch
            {
                401 or 403 => $"CredentialBot may not {verb} certificates in {vault.Host}: give it the Key Vault Certificates Officer role there (certificates create and get).",
                404 when verb == "read" => $"Key Vault {vault.Host} has no certificate '{name}'.",
                404 => $"Key Vault {vault.Host} was not found.",
                400 or 409 => $"Key Vault {vault.Host} refused certificate '{name}': {FirstLine(error.Message)}",
                _ => $"Key Vault {vault.Host} could not {verb} certificate '{name}' just now (HTTP {error.Status}). Try again later.",
            },
            error.Status is 401 or 403 ? "Key Vault: certificates/create, certificates/get" : null);

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static DirectoryResult<PublicCertificate> Refused(DirectoryRefusalKind kind, string reason, string? permission = null) =>
        new(new DirectoryRefusal(kind, reason, permission));

    /// <summary>Key Vault object names: "1-127 characters … alphanumerics and dashes".</summary>
    [GeneratedRegex("^[0-9A-Za-z-]{1,127}$")]
    private static partial Regex CertificateName();

    [LoggerMessage(Level = LogLevel.Information, Message = "Key Vault {Vault} issued certificate {Name} ({Thumbprint})")]
    private static partial void LogCreated(ILogger logger, string name, string vault, string thumbprint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key Vault {Vault} refused to create certificate {Name}: {Status} {Code}")]
    private static partial void LogRefused(ILogger logger, string name, string vault, int status, string? code);
}
