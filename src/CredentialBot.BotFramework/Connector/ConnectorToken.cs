namespace CredentialBot.BotFramework.Connector;

/// <summary>The outbound token for one send: a value, none needed (local mode), or unavailable (send nothing).</summary>
/// <param name="Available">False when the token could not be had; the send must not be attempted.</param>
/// <param name="Value">The bearer token, or null when none is needed.</param>
public readonly record struct ConnectorToken(bool Available, string? Value)
{
    /// <summary>No token could be had.</summary>
    public static ConnectorToken Unavailable => new(false, null);

    /// <summary>A token (or null, meaning none is needed).</summary>
    public static ConnectorToken Of(string? value) => new(true, value);

    /// <summary>Never the token itself: tokens stay out of logs and test output.</summary>
    public override string ToString() => Available ? (Value is null ? "none needed" : "***") : "unavailable";
}
