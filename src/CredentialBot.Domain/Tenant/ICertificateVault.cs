namespace CredentialBot.Domain;

/// <summary>
/// A key vault that makes certificates and keeps their private keys (Azure Key Vault in production): only the public
/// certificate ever leaves it, to be added to an App's key credentials.
/// </summary>
public interface ICertificateVault
{
    /// <summary>
    /// Creates (or renews as a new version) certificate <paramref name="name"/> in <paramref name="vault"/> under
    /// <paramref name="policy"/>, tagged with <paramref name="tags"/> when given, waits until the vault has issued it, and
    /// returns its public part. A vault that refuses (no access, a bad name, a policy it rejects) answers with a refusal,
    /// never an exception.
    /// </summary>
    Task<DirectoryResult<PublicCertificate>> CreateCertificateAsync(Uri vault, string name, NewCertificatePolicy policy, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The newest issued version of certificate <paramref name="name"/> in <paramref name="vault"/>: its public part, its
    /// versioned id and tags. A NotFound refusal when the vault has no such certificate; other refusals as for creating.
    /// </summary>
    Task<DirectoryResult<VaultCertificate>> GetCurrentAsync(Uri vault, string name, CancellationToken cancellationToken = default);
}
