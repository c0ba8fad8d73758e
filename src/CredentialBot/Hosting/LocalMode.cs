namespace CredentialBot.Hosting;

/// <summary>
/// Local mode: no bot app id is configured. The bot then accepts unauthenticated calls from loopback only
/// (the Agents Playground sends no token), uses an embedded Simulator as the tenant unless Graph:BaseUrl
/// is set, and seeds the demo tenant's store-kept owners.
/// </summary>
public static class LocalMode
{
    public static bool IsOn(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return string.IsNullOrWhiteSpace(configuration["Bot:MicrosoftAppId"]);
    }

    /// <summary>Local mode without an explicit Graph endpoint runs the Simulator inside the host.</summary>
    public static bool UsesEmbeddedSimulator(IConfiguration configuration) =>
        IsOn(configuration) && string.IsNullOrWhiteSpace(configuration["Graph:BaseUrl"]);
}
