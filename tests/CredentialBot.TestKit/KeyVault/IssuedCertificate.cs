namespace CredentialBot.TestKit.KeyVault;

/// <summary>A certificate version the fake vault issued: its public part (<see cref="Cer"/>, DER) the policy it was made under, and the tags it was created with.</summary>
public sealed record IssuedCertificate(
    string Name,
    string Version,
    byte[] Cer,
    string Thumbprint,
    string Subject,
    int KeySize,
    int ValidityMonths,
    bool Exportable,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    IReadOnlyDictionary<string, string>? Tags = null);
