namespace CredentialBot.Domain;

/// <summary>
/// The rules for a new certificate on an App, made by Key Vault or uploaded by an owner. A certificate is held to the
/// same lifetime ceiling as a secret (the policy's maximum credential lifetime, lowered by the tenant's
/// <c>asymmetricKeyLifetime</c> restriction when there is one); Entra checks a certificate's lifetime from its own
/// validity dates, so an uploaded one is judged by <c>NotAfter - NotBefore</c>.
/// </summary>
public static class CertificateRules
{
    /// <summary>A public certificate is 1-2 KB; 16 KB leaves room for a long chain's first certificate and refuses anything else.</summary>
    public const int MaxUploadBytes = 16 * 1024;

    public const int MinimumRsaKeySize = 2048;

    public static readonly IReadOnlyList<int> ValidityChoicesMonths = [3, 6, 12, 24];

    /// <summary>Validities (months) to offer, all within the maximum; one month when no standard choice fits.</summary>
    public static IReadOnlyList<int> ValiditiesUnder(Policy policy, TimeSpan? tenantMaximum, DateTimeOffset now)
    {
        var maximum = RotationRules.MaximumLifetime(policy, tenantMaximum);
        var choices = ValidityChoicesMonths.Where(m => m <= NewCertificatePolicy.MaxValidityMonths && now.AddMonths(m) - now <= maximum).ToList();
        return choices.Count > 0 ? choices : [1];
    }

    /// <summary>Each problem with a Key Vault-made certificate as a sentence; empty when the vault may be asked.</summary>
    public static IReadOnlyList<string> VaultProblems(NewCertificatePolicy certificate, Policy policy, TimeSpan? tenantMaximum, int graceDays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(policy);
        var problems = certificate.Problems().ToList();
        if (certificate.ValidityMonths >= 1 && now.AddMonths(certificate.ValidityMonths) - now is var lifetime && TooLong(lifetime, policy, tenantMaximum) is { } tooLong)
        {
            problems.Add($"{certificate.ValidityMonths} months is longer than {tooLong}.");
        }

        AddGraceProblem(problems, graceDays);
        return problems;
    }

    /// <summary>
    /// Each problem with an uploaded certificate as a sentence, most serious first; empty when it may be added. A private
    /// key is reported before anything else and whatever else is wrong: it has been handed over already.
    /// </summary>
    public static IReadOnlyList<string> UploadProblems(UploadedCertificate upload, Policy policy, TimeSpan? tenantMaximum, int graceDays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<string>();
        if (upload.CarriesPrivateKey)
        {
            problems.Add("This carries a private key. It was not used, and CredentialBot did not keep it, but it has now left where it was kept: consider it exposed and make a new key pair. Send only the public certificate (.cer, .crt or a PEM CERTIFICATE block).");
        }

        if (upload.Bytes > MaxUploadBytes)
        {
            problems.Add($"That is {upload.Bytes / 1024} KB; a public certificate is at most {MaxUploadBytes / 1024} KB.");
            return problems;
        }

        if (upload.Certificate is not { } certificate)
        {
            if (!upload.CarriesPrivateKey)
            {
                problems.Add(upload.Bytes == 0
                    ? "Paste the public certificate (a PEM CERTIFICATE block) or attach a .cer, .crt or .pem file."
                    : "That is not a readable X.509 certificate. Send the public certificate as PEM (-----BEGIN CERTIFICATE-----) or DER (.cer).");
            }

            return problems;
        }

        if (certificate.NotBefore > now)
        {
            problems.Add($"The certificate is not valid yet: it starts on {certificate.NotBefore:yyyy-MM-dd HH:mm} UTC.");
        }

        if (certificate.NotAfter <= now)
        {
            problems.Add($"The certificate expired on {certificate.NotAfter:yyyy-MM-dd}.");
        }
        else if (TooLong(certificate.NotAfter - certificate.NotBefore, policy, tenantMaximum) is { } tooLong)
        {
            problems.Add($"It is valid for {(certificate.NotAfter - certificate.NotBefore).TotalDays:0} days, longer than {tooLong}.");
        }

        if (string.Equals(upload.KeyAlgorithm, "RSA", StringComparison.OrdinalIgnoreCase) && upload.KeySize < MinimumRsaKeySize)
        {
            problems.Add($"Its RSA key is {upload.KeySize} bits; at least {MinimumRsaKeySize} bits are required.");
        }

        AddGraceProblem(problems, graceDays);
        return problems;
    }

    /// <summary>What a lifetime is too long for ("policy X allows (N days at most)"), or null when it fits.</summary>
    private static string? TooLong(TimeSpan lifetime, Policy policy, TimeSpan? tenantMaximum)
    {
        if (tenantMaximum is { } tenant && tenant < policy.MaximumSecretLifetime && lifetime > tenant)
        {
            return $"the tenant's app-management policy allows ({tenant.TotalDays:0} days at most)";
        }

        return lifetime > policy.MaximumSecretLifetime ? $"policy {policy.Name} allows ({policy.MaximumSecretLifetime.TotalDays:0} days at most)" : null;
    }

    private static void AddGraceProblem(List<string> problems, int graceDays)
    {
        if (graceDays is < 0 or > 30)
        {
            problems.Add("The old certificate can be kept for 0 to 30 days.");
        }
    }
}
