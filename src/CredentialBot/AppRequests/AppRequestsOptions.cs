namespace CredentialBot.AppRequests;

/// <summary>
/// <c>AppRequests</c>: whether people may request new app registrations from Teams (off by default: creating apps
/// needs a Graph permission an organisation grants on purpose), and CredentialBot's own service principal, made an
/// Entra owner of every App it creates so that <c>Application.ReadWrite.OwnedBy</c> lets it manage the App afterwards.
/// </summary>
public sealed class AppRequestsOptions
{
    public const string SectionName = "AppRequests";

    public bool Enabled { get; set; }

    /// <summary>The object id of the bot's service principal (enterprise application) in the tenant; required when enabled.</summary>
    public string? ManagingServicePrincipalId { get; set; }
}
