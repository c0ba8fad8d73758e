namespace CredentialBot.Admin.Export;

/// <summary>Section "Exports": where download links point and how they are signed.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>The host's public HTTPS address, e.g. https://credentialbot.contoso.com; local mode uses its own.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>The HMAC key that signs links (at least 32 characters; keep it in a secret store). Local mode makes one per run.</summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a link works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(PublicBaseUrl) && SigningKey is { Length: >= 32 };
}
