namespace CredentialBot.Directory;

/// <summary>
/// The consumers of the bot's app identity. Each gets its tokens through a keyed <c>ITokenAcquirer</c> registered
/// under its name by <see cref="AppIdentityServiceCollectionExtensions.AddAppIdentity"/>.
/// </summary>
public static class AppIdentityNames
{
    /// <summary>Bot Connector tokens (scope <c>https://api.botframework.com/.default</c>) for replies and proactive sends.</summary>
    public const string Bot = "Bot";

    /// <summary>Microsoft Graph (scope <c>https://graph.microsoft.com/.default</c>).</summary>
    public const string Graph = "Graph";

    /// <summary>Azure Key Vault (scope <c>https://vault.azure.net/.default</c>), where rotated secrets may be written.</summary>
    public const string KeyVault = "KeyVault";
}
