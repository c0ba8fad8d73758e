namespace CredentialBot.TestKit.KeyVault;

/// <summary>A certificate version the fake vault issued: its public part (<see cref="Cer"/>, DER) and the policy it was made under.</summary>
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
    DateTimeOffset NotAfter);
