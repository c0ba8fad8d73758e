namespace CredentialBot.Admin.Import;

/// <summary>Section "Import": where Teams file attachments may be downloaded from.</summary>
public sealed class ImportOptions
{
    public const string SectionName = "Import";

    /// <summary>
    /// Hosts a file attachment's download URL may point to (a leading "*." matches subdomains). Teams serves personal-chat
    /// files from SharePoint/OneDrive; nothing else is fetched, so a crafted attachment cannot make the bot call
    /// arbitrary URLs.
    /// </summary>
    public IList<string> AllowedDownloadHosts { get; } = ["*.sharepoint.com"];

    /// <summary>Largest CSV file accepted, in bytes.</summary>
    public int MaxFileBytes { get; set; } = 1_000_000;
}
