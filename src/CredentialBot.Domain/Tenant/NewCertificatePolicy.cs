namespace CredentialBot.Domain;

/// <summary>
/// A certificate for a vault to make and keep (its private key never leaves the vault): self-issued RSA with the
/// subject, key size and validity given.
/// </summary>
public sealed record NewCertificatePolicy(string Subject, int KeySize = 2048, int ValidityMonths = 12)
{
    public static IReadOnlyList<int> KeySizes { get; } = [2048, 3072, 4096];

    /// <summary>CredentialBot's ceiling; Entra's how-to keeps app certificates to a year or so.</summary>
    public const int MaxValidityMonths = 24;

    /// <summary>Each problem as a sentence; empty when the vault may be asked.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Subject) || !Subject.TrimStart().StartsWith("CN=", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("The subject must be a distinguished name starting with CN=, e.g. CN=payroll-api.");
        }

        if (!KeySizes.Contains(KeySize))
        {
            problems.Add($"An RSA key is {string.Join(", ", KeySizes)} bits; {KeySize} is not offered.");
        }

        if (ValidityMonths < 1 || ValidityMonths > MaxValidityMonths)
        {
            problems.Add($"A certificate is valid for 1 to {MaxValidityMonths} months.");
        }

        return problems;
    }
}
