namespace CredentialBot.Domain;

/// <summary>What a requested app registration is for; it decides nothing in Entra yet, and is recorded on the App.</summary>
public enum AppRegistrationType
{
    /// <summary>An API other apps call with tokens.</summary>
    WebApi,

    /// <summary>A web application people sign in to.</summary>
    WebApp,

    /// <summary>A single-page application (browser, no secret of its own).</summary>
    SinglePageApp,

    /// <summary>A daemon or background service calling APIs as itself.</summary>
    Daemon,

    /// <summary>A mobile or desktop app (a public client).</summary>
    NativeApp,

    /// <summary>Something else, described in the purpose.</summary>
    Other,
}
