namespace CredentialBot.Domain;

/// <summary>
/// The last sign-in of every credential in the tenant that Entra's usage reports know, by key id; a credential missing
/// here has no sign-in the reports remember.
/// </summary>
public sealed record TenantCredentialUsage(IReadOnlyDictionary<string, DateTimeOffset> LastUseByKeyId)
{
    public DateTimeOffset? LastUseOf(string keyId) => LastUseByKeyId.TryGetValue(keyId, out var at) ? at : null;
}
